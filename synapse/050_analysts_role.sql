-- database: CustomerAnalytics
-- The analysts role: SELECT on the five analyst views and nothing else in the database, plus
-- REFERENCES on the credential (051_analysts_credential_grant.sql). The gold tables need no grant:
-- the views and the tables have the same owner (dbo, through schema gold), so ownership chaining
-- covers the SELECT on them.
-- No ADMINISTER DATABASE BULK OPERATIONS: no gold object is an OPENROWSET view today (a test
-- fails if that changes without this grant, or if the grant stays without the need).
-- The analysts Entra group (the stack's groupNames.analysts) is the role's only member.
-- Rerunnable: the role, user and membership are created once; GRANT is idempotent.

IF DATABASE_PRINCIPAL_ID(N'analysts') IS NULL
    BEGIN
        CREATE ROLE analysts AUTHORIZATION dbo;
    END;
GO

IF DATABASE_PRINCIPAL_ID(N'$(AnalystsGroup)') IS NULL
    BEGIN
        CREATE USER [$(AnalystsGroup)] FROM EXTERNAL PROVIDER;
    END;
GO

IF
    NOT EXISTS (
        SELECT 1
        FROM sys.database_role_members AS m
        WHERE
            m.role_principal_id = DATABASE_PRINCIPAL_ID(N'analysts')
            AND m.member_principal_id = DATABASE_PRINCIPAL_ID(N'$(AnalystsGroup)')
    )
    BEGIN
        ALTER ROLE analysts ADD MEMBER [$(AnalystsGroup)];
    END;
GO

GRANT SELECT ON OBJECT::gold.vw_top_categories_last_30_days TO analysts;
GRANT SELECT ON OBJECT::gold.vw_high_value_customers TO analysts;
GRANT SELECT ON OBJECT::gold.vw_monthly_revenue_trend TO analysts;
GRANT SELECT ON OBJECT::gold.vw_store_comparison TO analysts;
GRANT SELECT ON OBJECT::gold.vw_executive_dashboard TO analysts;
GO
