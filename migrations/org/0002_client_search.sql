-- Full-text index of each client's cached contact fields; rowid = org_clients.rowid.
-- `phones` holds every suffix of each phone's digits, so a prefix query finds any fragment.
CREATE VIRTUAL TABLE `client_search` USING fts5(
  `names`, `emails`, `phones`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
