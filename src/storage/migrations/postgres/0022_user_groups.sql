-- Groups of a customer organisation's people (issue "Service catalog" §3: entitlements by
-- team/group; ONB-13: the groups an identity provider pushes through SCIM). A group belongs to
-- one consumer organisation and holds only its people; entitlement rules may name it.
CREATE TABLE user_groups (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  external_id TEXT,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_groups_name ON user_groups (organization_id, name);

CREATE TABLE user_group_members (
  group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX user_group_members_by_user ON user_group_members (user_id, group_id);
