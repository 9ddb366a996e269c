-- database: CustomerAnalytics
-- REFERENCES on the workspace-identity credential for the analysts role: serverless checks it for
-- every reader of an external table whose data source has a credential (SELECT reaches the gold
-- tables through the views' ownership chain; this permission does not).
-- A file of its own because the tsql dialect of sqlfluff 4.5.0 cannot parse a GRANT on a
-- DATABASE SCOPED CREDENTIAL: the lint skips this file (.sqlfluffignore) and the parse test
-- checks it holds exactly this statement in the documented syntax instead.
-- Rerunnable: GRANT is idempotent.

GRANT REFERENCES ON DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts;
GO
