-- database: master
-- The serverless database the analysts and BI tools connect to. UTF-8 binary collation: Parquet
-- strings are UTF-8, so VARCHAR columns read them without conversion and compare them exactly
-- (the same byte-wise, case-sensitive comparison Spark applies when it writes gold).
-- Rerunnable: creates the database once; converges its collation if someone created it
-- differently (before anything depends on it).

IF DB_ID(N'CustomerAnalytics') IS NULL
    BEGIN
        CREATE DATABASE CustomerAnalytics COLLATE Latin1_General_100_BIN2_UTF8;
    END;
GO

IF
    EXISTS (
        SELECT 1
        FROM sys.databases
        WHERE name = N'CustomerAnalytics' AND collation_name <> N'Latin1_General_100_BIN2_UTF8'
    )
    BEGIN
        ALTER DATABASE CustomerAnalytics COLLATE Latin1_General_100_BIN2_UTF8;
    END;
GO
