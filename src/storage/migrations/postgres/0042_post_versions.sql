-- COM-3: posts are edited (by their author, or by a member of level 4 or a moderator) under If-Match:
-- a post has a version of its own.
ALTER TABLE posts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
