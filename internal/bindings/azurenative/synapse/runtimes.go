package synapse

import (
	"fmt"
	"time"
)

// SparkVersion is a Synapse runtime for Apache Spark, as a Spark pool's sparkVersion names it.
type SparkVersion string

// SparkRuntime is one Synapse runtime and the last day Microsoft supports it.
type SparkRuntime struct {
	Version SparkVersion
	// EndOfSupport is the first day the runtime is no longer supported (pools on it are disabled in
	// phases after that; new pools must not ask for it).
	EndOfSupport time.Time
}

// SparkRuntimeLifecycle is where the dates below come from.
const SparkRuntimeLifecycle = "https://learn.microsoft.com/azure/synapse-analytics/spark/apache-spark-version-support"

// SparkRuntimes are the Synapse Spark runtimes with their end of support, oldest first: 3.3 ended
// 2025-03-31, 3.4 ended 2026-03-31 (apache-spark-34-runtime), 3.5 is GA and supported through
// 2028-10-31 (LTS from 2027-11-01, apache-spark-35-runtime).
var SparkRuntimes = []SparkRuntime{
	{Version: "3.3", EndOfSupport: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
	{Version: "3.4", EndOfSupport: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
	{Version: "3.5", EndOfSupport: time.Date(2028, 11, 1, 0, 0, 0, 0, time.UTC)},
}

// SupportedSparkVersions are the runtimes still supported at now.
func SupportedSparkVersions(now time.Time) []SparkVersion {
	var out []SparkVersion
	for _, r := range SparkRuntimes {
		if now.Before(r.EndOfSupport) {
			out = append(out, r.Version)
		}
	}
	return out
}

// CheckSparkVersion explains why v cannot be asked for at now, or returns nil.
func CheckSparkVersion(v SparkVersion, now time.Time) error {
	for _, r := range SparkRuntimes {
		if r.Version != v {
			continue
		}
		if !now.Before(r.EndOfSupport) {
			return fmt.Errorf("runtime %s reached end of support on %s", v, r.EndOfSupport.AddDate(0, 0, -1).Format(time.DateOnly))
		}
		return nil
	}
	return fmt.Errorf("%q is not a Synapse runtime for Apache Spark", v)
}
