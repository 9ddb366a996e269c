-- database: CustomerAnalytics
-- Where gold lives and how it is stored: the external data source on the stack's gold container
-- (read with the workspace identity), the Delta file format and the schema that holds the gold
-- tables and the analyst views.
-- Rerunnable: created once. A data source has no ALTER and the gold tables depend on it, so a
-- stack whose location changed stops here with an error instead of reading the old lake.

IF
    NOT EXISTS (
        SELECT 1 FROM sys.external_data_sources
        WHERE name = N'GoldLake'
    )
    BEGIN
        CREATE EXTERNAL DATA SOURCE GoldLake
        WITH (
            LOCATION = '$(DfsEndpoint)/$(GoldContainer)',
            CREDENTIAL = WorkspaceIdentity
        );
    END;
GO

IF
    EXISTS (
        SELECT 1
        FROM sys.external_data_sources
        WHERE
            name = N'GoldLake'
            AND LOWER(location) NOT IN (
                LOWER(N'$(DfsEndpoint)/$(GoldContainer)'),
                LOWER(N'$(DfsEndpoint)/$(GoldContainer)/')
            )
    )
    BEGIN
        THROW 50001,
        N'GoldLake points at another location: drop the gold tables and GoldLake, then rerun.',
        1;
    END;
GO

IF
    NOT EXISTS (
        SELECT 1 FROM sys.external_file_formats
        WHERE name = N'DeltaFormat'
    )
    BEGIN
        CREATE EXTERNAL FILE FORMAT DeltaFormat WITH (FORMAT_TYPE = DELTA);
    END;
GO

-- CREATE SCHEMA must be alone in its batch, hence the dynamic SQL behind the guard.
IF SCHEMA_ID(N'gold') IS NULL
    BEGIN
        EXEC (N'CREATE SCHEMA gold AUTHORIZATION dbo;');
    END;
GO
