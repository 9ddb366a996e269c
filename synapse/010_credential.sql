-- database: CustomerAnalytics
-- Master key and the database-scoped credential that reads the lake as the workspace's managed
-- identity (the Pulumi program gives that identity Storage Blob Data Reader on the gold
-- container). The credential holds no secret; the master key only protects it.
-- Rerunnable: each object is created only when it does not exist.

-- The master key password is generated on the server, never stored or passed in: it only
-- encrypts the key, which the service also protects with its own key, so nothing ever needs it
-- again. NEWID() is used because serverless SQL supports no other random source (HASHBYTES is its
-- only cryptographic function); two GUIDs give 244 random bits.
IF
    NOT EXISTS (
        SELECT 1 FROM sys.symmetric_keys
        WHERE name = N'##MS_DatabaseMasterKey##'
    )
    BEGIN
        DECLARE @password NVARCHAR(128) = CONCAT(NEWID(), N'-', NEWID());
        EXEC (N'CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + @password + N''';');
    END;
GO

IF
    NOT EXISTS (
        SELECT 1 FROM sys.database_scoped_credentials
        WHERE name = N'WorkspaceIdentity'
    )
    BEGIN
        CREATE DATABASE SCOPED CREDENTIAL WorkspaceIdentity WITH IDENTITY = 'Managed Identity';
    END;
GO
