// Package naming derives every Azure resource name and the common tags from the stack's config, so
// names are stable across runs and collide neither between stacks nor between subscriptions.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// regionCodes shortens Azure regions for names (CAF-style); unknown regions are rejected at config load.
var regionCodes = map[string]string{
	"westeurope":         "weu",
	"northeurope":        "neu",
	"swedencentral":      "sec",
	"germanywestcentral": "gwc",
	"francecentral":      "frc",
	"uksouth":            "uks",
	"eastus":             "eus",
	"eastus2":            "eus2",
	"westus2":            "wus2",
	"westus3":            "wus3",
	"centralus":          "cus",
	"canadacentral":      "cac",
	"australiaeast":      "aue",
	"southeastasia":      "sea",
	"japaneast":          "jpe",
}

// Regions lists the supported Azure regions, sorted, for error messages.
func Regions() []string {
	out := make([]string, 0, len(regionCodes))
	for r := range regionCodes {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// RegionCode returns the short code of a supported region.
func RegionCode(region string) (string, bool) {
	c, ok := regionCodes[region]
	return c, ok
}

var prefixPattern = regexp.MustCompile(`^[a-z][a-z0-9]{1,5}$`)

// ValidPrefix reports whether p can start every resource name, including storage accounts
// (lowercase letters and digits only, 2–6 characters, starting with a letter).
func ValidPrefix(p string) bool { return prefixPattern.MatchString(p) }

// Namer builds resource names of the form <kind>-<prefix>-<env>-<region> and, for globally unique
// names, adds a stable suffix derived from the subscription, prefix and environment.
type Namer struct {
	Prefix      string
	Environment string
	Region      string
	suffix      string
}

// New returns a Namer. uniqueSeed must be stable for the stack's lifetime (the subscription id):
// the suffix it yields keeps globally unique names (storage, Key Vault) stable across runs.
func New(prefix, environment, region, uniqueSeed string) (Namer, error) {
	if !ValidPrefix(prefix) {
		return Namer{}, fmt.Errorf("naming: prefix %q must be 2-6 lowercase letters or digits starting with a letter", prefix)
	}
	if _, ok := regionCodes[region]; !ok {
		return Namer{}, fmt.Errorf("naming: unsupported region %q (allowed: %s)", region, strings.Join(Regions(), ", "))
	}
	sum := sha256.Sum256([]byte(uniqueSeed + "/" + prefix + "/" + environment))
	return Namer{Prefix: prefix, Environment: environment, Region: region, suffix: hex.EncodeToString(sum[:])[:6]}, nil
}

// Suffix is the stable 6-hex-character suffix of globally unique names.
func (n Namer) Suffix() string { return n.suffix }

// Regional names a resource that is unique within its resource group: "vnet-ca-dev-weu".
func (n Namer) Regional(kind string) string {
	return fmt.Sprintf("%s-%s-%s-%s", kind, n.Prefix, n.Environment, regionCodes[n.Region])
}

// Global names a resource whose name is globally unique and may contain hyphens: "kv-ca-dev-1a2b3c"
// (at most 24 characters, which is Key Vault's limit).
func (n Namer) Global(kind string) string {
	return fmt.Sprintf("%s-%s-%s-%s", kind, n.Prefix, n.Environment, n.suffix)
}

// Compact names a globally unique resource that allows only lowercase letters and digits, such as a
// storage account: "stcadev1a2b3c" (at most 24 characters).
func (n Namer) Compact(kind string) string {
	return kind + n.Prefix + n.Environment + n.suffix
}

// Tags returns the tags every resource carries; extra tags from config may not override the
// platform's own keys.
func Tags(environment, project string, extra map[string]string) map[string]string {
	tags := map[string]string{}
	for k, v := range extra {
		tags[k] = v
	}
	tags["Environment"] = environment
	tags["ManagedBy"] = "Pulumi"
	tags["Project"] = project
	return tags
}

// ReservedTagKeys are set by the platform and may not be given in config.
var ReservedTagKeys = []string{"Environment", "ManagedBy", "Project"}
