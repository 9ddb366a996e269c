-- database: CustomerAnalytics
-- The analyst views, the only objects the analysts role may read (050_analysts_role.sql).
-- Built on the gold tables (030_gold_tables.sql), never on raw files, so that synapse/tests can
-- transpile each view to Spark SQL (sqlglot) and check its exact rows over the gold tables the
-- local pipeline writes from the test fixture. This file is the only definition of the views.
--
-- Rules every view keeps (a wrong aggregation fails those tests):
--   * only additive measures are summed (revenue, transactions, units); unique_customers is a
--     distinct count per day, category or store and is never added up;
--   * an average is a ratio of sums, never an average of stored averages;
--   * a division has a DECIMAL numerator (never integer division) and a NULLIF'd denominator;
--   * "last 30 days" is the 30 calendar days ending on the latest transaction_date loaded into
--     gold (as_of_date), so a paused pipeline shows its last window instead of nothing.
-- Rerunnable: CREATE OR ALTER keeps each view's permissions.

CREATE OR ALTER VIEW gold.vw_top_categories_last_30_days
AS
WITH as_of AS (
    SELECT MAX(d.transaction_date) AS as_of_date
    FROM gold.daily_sales_summary AS d
),

category_totals AS (
    SELECT
        p.product_category,
        SUM(p.total_revenue) AS total_revenue,
        SUM(p.total_units) AS total_units,
        SUM(p.total_transactions) AS total_transactions,
        COUNT(*) AS active_days
    FROM gold.product_category_performance AS p
    CROSS JOIN as_of AS a
    WHERE
        p.transaction_date > DATEADD(DAY, -30, a.as_of_date)
        AND p.transaction_date <= a.as_of_date
    GROUP BY p.product_category
),

ranked AS (
    SELECT
        c.product_category,
        c.total_revenue,
        c.total_units,
        c.total_transactions,
        c.active_days,
        RANK() OVER (ORDER BY c.total_revenue DESC) AS revenue_rank,
        CAST(
            ROUND(c.total_revenue / NULLIF(c.total_units, 0), 2) AS DECIMAL(18, 2)
        ) AS avg_unit_price,
        CAST(
            ROUND(100.0 * c.total_revenue / NULLIF(SUM(c.total_revenue) OVER (), 0), 2)
            AS DECIMAL(5, 2)
        ) AS revenue_share_pct
    FROM category_totals AS c
)

SELECT
    r.revenue_rank,
    r.product_category,
    r.total_revenue,
    r.total_units,
    r.total_transactions,
    r.active_days,
    r.avg_unit_price,
    r.revenue_share_pct,
    DATEADD(DAY, -29, a.as_of_date) AS window_start_date,
    a.as_of_date AS window_end_date
FROM ranked AS r
CROSS JOIN as_of AS a
WHERE r.revenue_rank <= 10;
GO

CREATE OR ALTER VIEW gold.vw_high_value_customers
AS
WITH as_of AS (
    SELECT MAX(d.transaction_date) AS as_of_date
    FROM gold.daily_sales_summary AS d
)

SELECT
    RANK() OVER (ORDER BY c.total_spend DESC) AS spend_rank,
    c.customer_id,
    c.city,
    c.signup_date,
    c.total_spend,
    c.transaction_count,
    c.total_units,
    c.avg_transaction_value,
    c.first_purchase_date,
    c.last_purchase_date,
    DATEDIFF(DAY, c.last_purchase_date, a.as_of_date) AS days_since_last_purchase
FROM gold.customer_segmentation AS c
CROSS JOIN as_of AS a
WHERE c.customer_segment = 'HIGH';
GO

CREATE OR ALTER VIEW gold.vw_monthly_revenue_trend
AS
WITH monthly AS (
    SELECT
        DATEFROMPARTS(YEAR(d.transaction_date), MONTH(d.transaction_date), 1) AS month_start,
        SUM(d.total_revenue) AS total_revenue,
        SUM(d.total_transactions) AS total_transactions,
        SUM(d.total_units) AS total_units,
        COUNT(*) AS active_days
    FROM gold.daily_sales_summary AS d
    GROUP BY DATEFROMPARTS(YEAR(d.transaction_date), MONTH(d.transaction_date), 1)
)

SELECT
    m.month_start,
    YEAR(m.month_start) AS sales_year,
    MONTH(m.month_start) AS sales_month,
    m.active_days,
    m.total_revenue,
    m.total_transactions,
    m.total_units,
    CAST(
        ROUND(m.total_revenue / NULLIF(m.total_transactions, 0), 2) AS DECIMAL(18, 2)
    ) AS avg_transaction_value,
    CAST(ROUND(m.total_revenue / m.active_days, 2) AS DECIMAL(18, 2)) AS avg_daily_revenue,
    -- the calendar month before, not the previous row: a month without sales has no row
    p.total_revenue AS previous_month_revenue,
    CAST(
        ROUND(100.0 * (m.total_revenue - p.total_revenue) / NULLIF(p.total_revenue, 0), 2)
        AS DECIMAL(18, 2)
    ) AS revenue_growth_pct
FROM monthly AS m
LEFT JOIN monthly AS p ON DATEADD(MONTH, -1, m.month_start) = p.month_start;
GO

CREATE OR ALTER VIEW gold.vw_store_comparison
AS
WITH store_totals AS (
    SELECT
        s.store_location,
        SUM(s.total_revenue) AS total_revenue,
        SUM(s.total_transactions) AS total_transactions,
        SUM(s.total_units) AS total_units,
        COUNT(*) AS active_days,
        MIN(s.transaction_date) AS first_sale_date,
        MAX(s.transaction_date) AS last_sale_date
    FROM gold.store_performance AS s
    GROUP BY s.store_location
)

SELECT
    RANK() OVER (ORDER BY t.total_revenue DESC) AS revenue_rank,
    t.store_location,
    t.total_revenue,
    t.total_transactions,
    t.total_units,
    t.active_days,
    t.first_sale_date,
    t.last_sale_date,
    CAST(
        ROUND(t.total_revenue / NULLIF(t.total_transactions, 0), 2) AS DECIMAL(18, 2)
    ) AS avg_transaction_value,
    CAST(ROUND(t.total_revenue / t.active_days, 2) AS DECIMAL(18, 2)) AS avg_daily_revenue,
    CAST(
        ROUND(100.0 * t.total_revenue / NULLIF(SUM(t.total_revenue) OVER (), 0), 2)
        AS DECIMAL(5, 2)
    ) AS revenue_share_pct
FROM store_totals AS t;
GO

-- One row: the figures an executive asks for first. Builds on two of the views above (created
-- first in this file).
CREATE OR ALTER VIEW gold.vw_executive_dashboard
AS
WITH as_of AS (
    SELECT MAX(d.transaction_date) AS as_of_date
    FROM gold.daily_sales_summary AS d
),

sales AS (
    SELECT
        SUM(
            CASE
                WHEN d.transaction_date > DATEADD(DAY, -30, a.as_of_date) THEN d.total_revenue
                ELSE 0
            END
        ) AS revenue_last_30_days,
        SUM(
            CASE
                WHEN d.transaction_date > DATEADD(DAY, -30, a.as_of_date)
                    THEN d.total_transactions
                ELSE 0
            END
        ) AS transactions_last_30_days,
        SUM(
            CASE
                WHEN
                    d.transaction_date > DATEADD(DAY, -60, a.as_of_date)
                    AND d.transaction_date <= DATEADD(DAY, -30, a.as_of_date)
                    THEN d.total_revenue
                ELSE 0
            END
        ) AS revenue_previous_30_days,
        SUM(d.total_revenue) AS revenue_all_time,
        SUM(d.total_transactions) AS transactions_all_time
    FROM gold.daily_sales_summary AS d
    CROSS JOIN as_of AS a
),

customers AS (
    SELECT
        COUNT(*) AS customers_all_time,
        SUM(CASE WHEN c.customer_segment = 'HIGH' THEN 1 ELSE 0 END) AS high_value_customers,
        SUM(CASE WHEN c.customer_segment = 'HIGH' THEN c.total_spend ELSE 0 END)
            AS high_value_spend,
        SUM(c.total_spend) AS total_spend
    FROM gold.customer_segmentation AS c
),

-- ties for first place resolve to the alphabetically first name
top_category AS (
    SELECT MIN(t.product_category) AS product_category
    FROM gold.vw_top_categories_last_30_days AS t
    WHERE t.revenue_rank = 1
),

top_store AS (
    SELECT MIN(s.store_location) AS store_location
    FROM gold.vw_store_comparison AS s
    WHERE s.revenue_rank = 1
)

SELECT
    a.as_of_date,
    s.revenue_last_30_days,
    s.transactions_last_30_days,
    CAST(
        ROUND(s.revenue_last_30_days / NULLIF(s.transactions_last_30_days, 0), 2)
        AS DECIMAL(18, 2)
    ) AS avg_transaction_value_last_30_days,
    s.revenue_previous_30_days,
    CAST(
        ROUND(
            100.0
            * (s.revenue_last_30_days - s.revenue_previous_30_days)
            / NULLIF(s.revenue_previous_30_days, 0),
            2
        ) AS DECIMAL(18, 2)
    ) AS revenue_growth_pct,
    s.revenue_all_time,
    s.transactions_all_time,
    c.customers_all_time,
    c.high_value_customers,
    CAST(
        ROUND(100.0 * c.high_value_spend / NULLIF(c.total_spend, 0), 2) AS DECIMAL(5, 2)
    ) AS high_value_spend_share_pct,
    tc.product_category AS top_category_last_30_days,
    ts.store_location AS top_store_all_time
FROM as_of AS a
CROSS JOIN sales AS s
CROSS JOIN customers AS c
CROSS JOIN top_category AS tc
CROSS JOIN top_store AS ts;
GO
