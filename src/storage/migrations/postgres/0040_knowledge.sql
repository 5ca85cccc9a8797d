-- KB-1: knowledge articles. An article is written in one language and may be translated; every
-- save of a language's text is a new version (number counted per language), the newest one
-- being what readers get. `version` is the row's version for ETags.
CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  language TEXT NOT NULL,
  state TEXT NOT NULL,
  author_id TEXT NOT NULL,
  source_post_id TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT
);
CREATE INDEX articles_by_state ON articles (state, id);
CREATE TABLE article_versions (
  article_id TEXT NOT NULL REFERENCES articles (id),
  language TEXT NOT NULL,
  number BIGINT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, language, number)
);
-- "Was this helpful", one answer per reader and version; answering again replaces it.
CREATE TABLE article_feedback (
  article_id TEXT NOT NULL REFERENCES articles (id),
  language TEXT NOT NULL,
  number BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  helpful BIGINT NOT NULL,
  comment TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, language, number, user_id)
);
CREATE TABLE article_services (
  article_id TEXT NOT NULL REFERENCES articles (id),
  service_id TEXT NOT NULL,
  PRIMARY KEY (article_id, service_id)
);
-- Who reads an article (and, with the community, a space): rows of kind organization, role or
-- offering; a kind without rows does not narrow (domain/knowledge/article.h).
CREATE TABLE audiences (
  owner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (owner_id, kind, value)
);
-- The knowledge index: one document per published article and language (and, with the
-- community, per topic and answer). `owner_id` holds the audience; `services` the related
-- services, space-separated; doc numbers grow, so the newest documents have the highest.
CREATE TABLE knowledge_docs (
  doc BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  language TEXT NOT NULL,
  services TEXT NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  helpful BIGINT NOT NULL DEFAULT 0,
  unhelpful BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  terms TSVECTOR NOT NULL,
  UNIQUE (kind, target_id, language)
);
CREATE INDEX knowledge_docs_by_owner ON knowledge_docs (owner_id);
CREATE INDEX knowledge_docs_terms ON knowledge_docs USING GIN (terms);
-- REL-2: a suggestion opened and the user leaving without raising a ticket.
CREATE TABLE deflections (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  organization_id TEXT,
  service_id TEXT,
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  query TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX deflections_by_time ON deflections (created_at);
