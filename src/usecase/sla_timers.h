// DESK-3: the SLA timers. Every crossing of a warning threshold or a target is announced exactly
// once — an internal timeline event, the policy's escalations (notify the assignee and the
// team's lead, reassign, raise the priority), and for a breached first response or resolution a
// recovery task (DESK-8) — also when the server was down across the crossing: the ticket keeps
// when it must be looked at next (sla_next_at) and what was announced (sla_fired), both written
// with the change that made them so.
#pragma once

#include "usecase/context.h"

namespace tandem::usecase {

struct TimerRun {
  int tickets = 0;    // looked at
  int announced = 0;  // crossings announced
};

// Looks at up to `limit` tickets whose next crossing is due now, soonest first. Safe to run on
// several nodes at once: each ticket is announced under its row lock.
Result<TimerRun> fire_sla_timers(const Services& s, int limit = 200);

}  // namespace tandem::usecase
