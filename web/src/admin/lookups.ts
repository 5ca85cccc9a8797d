import { useEffect, useState } from "react";
import { api, type Page } from "../api";
import { errorText } from "../paged";
import type { Option } from "./fields";

// The records the admin screens name by id (an entitlement's organisation, a policy's
// calendar): read once when the admin screens open, a few small lists.
export interface Lookups {
  organizations: Option[];
  services: Option[];
  requestTypes: Option[];
  calendars: Option[];
  teams: Option[];
  staff: Option[]; // people of the provider's organisation
  tiers: Option[];
  groups: Option[];
  offerings: Option[];
  requirements: Option[];
  trainings: Option[];
}

const kMaxItems = 2000;
const none: Lookups = {
  organizations: [],
  services: [],
  requestTypes: [],
  calendars: [],
  teams: [],
  staff: [],
  tiers: [],
  groups: [],
  offerings: [],
  requirements: [],
  trainings: [],
};

// Every page of a small list (at most kMaxItems), as options.
async function options(path: string, label: (item: Record<string, unknown>) => string): Promise<Option[]> {
  const all: Option[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page: Page<Record<string, unknown>> = await api("GET", `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    for (const item of page.items) all.push({ value: String(item.id), label: label(item) });
    cursor = page.next_cursor;
  } while (cursor && all.length < kMaxItems);
  return all;
}

const named = (item: Record<string, unknown>) => String(item.name ?? item.id);

// `language`: the catalog's names are read in it, so they are read again when it changes.
export function useLookups(providerOrganizationId: string, language: string) {
  const [lookups, setLookups] = useState<Lookups | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    Promise.all([
      options("/api/v1/organizations", named),
      options("/api/v1/services", named),
      options("/api/v1/request-types", named),
      options("/api/v1/calendars", named),
      options("/api/v1/teams", named),
      options(`/api/v1/users?organization_id=${encodeURIComponent(providerOrganizationId)}&active=true`, (u) => `${named(u)} <${String(u.email)}>`),
      options("/api/v1/offering-tiers", named),
      options("/api/v1/groups", named),
      options("/api/v1/offerings", named),
      options("/api/v1/requirements", named),
      options("/api/v1/trainings", (t) => String(t.title ?? t.id)),
    ])
      .then(([organizations, services, requestTypes, calendars, teams, staff, tiers, groups, offerings, requirements, trainings]) => {
        if (!current) return;
        setLookups({ organizations, services, requestTypes, calendars, teams, staff, tiers, groups, offerings, requirements, trainings });
        setError(null);
      })
      .catch((e) => {
        if (!current) return;
        setError(errorText(e));
        // The pages still work without the names: they show ids where names are missing.
        setLookups((before) => before ?? none);
      });
    return () => {
      current = false;
    };
  }, [providerOrganizationId, language, generation]);
  // After an edit that adds or renames what others name (a new team, a renamed organisation).
  const refresh = () => setGeneration((g) => g + 1);
  return { lookups, error, refresh };
}

export const nameIn = (options: Option[], id: unknown): string =>
  id === null || id === undefined || id === "" ? "—" : (options.find((o) => o.value === id)?.label ?? String(id));
