// Package stacks loads a stack's typed configuration and composes the platform's components from it.
package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/customer-analytics/platform/components"
	syn "github.com/customer-analytics/platform/internal/bindings/azurenative/synapse"
	"github.com/customer-analytics/platform/internal/naming"
	"github.com/customer-analytics/platform/internal/policy"
)

// Namespace is the project's config namespace (Pulumi.yaml name).
const Namespace = "customer-analytics"

// Environment is the kind of stack.
type Environment string

// Supported environments.
const (
	EnvDev     Environment = "dev"
	EnvStaging Environment = "staging"
	EnvProd    Environment = "prod"
)

var environments = []Environment{EnvDev, EnvStaging, EnvProd}

// Config is the whole platform's configuration for one stack. Pulumi.<stack>.yaml files differ only in
// these values.
type Config struct {
	Environment Environment
	Location    string
	NamePrefix  string
	// Tags are extra tags (e.g. CostCenter, Owner); Environment, ManagedBy and Project are set by the
	// platform.
	Tags          map[string]string
	Network       NetworkConfig
	Storage       StorageConfig
	KeyVault      KeyVaultConfig
	Monitoring    MonitoringConfig
	Budget        BudgetConfig
	Groups        GroupsConfig
	Compute       ComputeConfig
	Orchestration OrchestrationConfig
	Warehouse     WarehouseConfig
	// Protection guards the stateful resources (deploy identity and protection block below).
	Protection ProtectionConfig
	// PolicyExceptions waive named policy rules (rule id -> reason) for deliberate, documented
	// relaxations; prod may have none.
	PolicyExceptions map[string]string
	// ProviderLocation is azure-native:location when set; it must equal Location.
	ProviderLocation string
	// Now is when the program runs (UTC): it dates a new budget and retires Spark runtimes. Zero means
	// the wall clock; tests set it.
	Now time.Time
}

// now is the run's time.
func (c *Config) now() time.Time {
	if c.Now.IsZero() {
		return time.Now().UTC()
	}
	return c.Now.UTC()
}

// NetworkConfig is the "network" key.
type NetworkConfig struct {
	Mode            components.NetworkMode `json:"mode"`
	AddressSpace    string                 `json:"addressSpace"`
	AllowedIPRanges []string               `json:"allowedIpRanges"`
}

// StorageConfig is the "storage" key.
type StorageConfig struct {
	Replication             storage.SkuName `json:"replication"`
	SoftDeleteRetentionDays int             `json:"softDeleteRetentionDays"`
}

// KeyVaultConfig is the "keyVault" key.
type KeyVaultConfig struct {
	PurgeProtection         bool `json:"purgeProtection"`
	SoftDeleteRetentionDays int  `json:"softDeleteRetentionDays"`
}

// MonitoringConfig is the "monitoring" key.
type MonitoringConfig struct {
	LogRetentionDays int      `json:"logRetentionDays"`
	AlertEmails      []string `json:"alertEmails"`
}

// BudgetConfig is the "budget" key.
type BudgetConfig struct {
	Amount float64 `json:"amount"`
	// No start date: a new budget starts on the first of the month of the stack's first deploy and
	// later updates never change it (components.BudgetStart, ignoreChanges on the budget).
}

// GroupConfig is one Entra group.
type GroupConfig struct {
	DisplayName string   `json:"displayName"`
	Members     []string `json:"members"`
}

// GroupsConfig is the "groups" key.
type GroupsConfig struct {
	Engineers GroupConfig `json:"engineers"`
	Analysts  GroupConfig `json:"analysts"`
	// Admins is not created by the program: see AdminsGroupConfig.
	Admins AdminsGroupConfig `json:"admins"`
}

// ComputeConfig is the "compute" key (Databricks).
type ComputeConfig struct {
	SparkVersion           string `json:"sparkVersion"`
	NodeType               string `json:"nodeType"`
	MinWorkers             int    `json:"minWorkers"`
	MaxWorkers             int    `json:"maxWorkers"`
	AutoTerminationMinutes int    `json:"autoTerminationMinutes"`
	// PublicNetworkAccess of the workspace UI/API: Enabled (clusters stay private either way) or
	// Disabled (private mode only; deployments must then run from inside the VNet).
	PublicNetworkAccess string `json:"publicNetworkAccess"`
}

// OrchestrationConfig is the "orchestration" key (Data Factory).
type OrchestrationConfig struct {
	// TriggerEnabled says whether the daily schedule should run. ARM creates triggers stopped and
	// offers no started flag, so the deploy workflow starts or stops the trigger from this value (and
	// stops it before `pulumi up`, since ADF rejects updates to a started trigger).
	TriggerEnabled bool `json:"triggerEnabled"`
	// QualityThreshold (percent of valid rows) below which bronze_to_silver fails the run.
	QualityThreshold float64 `json:"qualityThreshold"`
	// QualityAlertThreshold (percent) below which the data-quality alert fires, before runs fail.
	QualityAlertThreshold float64 `json:"qualityAlertThreshold"`
	// MaxRunMinutes raises the duration alert.
	MaxRunMinutes int `json:"maxRunMinutes"`
}

// WarehouseConfig is the "warehouse" key (Synapse).
type WarehouseConfig struct {
	// DedicatedSQLPool adds a dedicated SQL pool; serverless (pay per query) serves the views either way.
	DedicatedSQLPool    bool   `json:"dedicatedSqlPool"`
	DedicatedSQLPoolSku string `json:"dedicatedSqlPoolSku"`
	// SparkVersion is the Spark pool's Synapse runtime; retired runtimes are rejected (see
	// synapse.SparkRuntimes for the lifecycle and its source).
	SparkVersion syn.SparkVersion `json:"sparkVersion"`
}

// Key names a config key under the project namespace.
func Key(name string) string { return Namespace + ":" + name }

// ConfigError is a bad config value: which key, what is wrong, what is allowed.
type ConfigError struct {
	Key     string
	Problem string
	Allowed string
}

func (e *ConfigError) Error() string {
	msg := fmt.Sprintf("config %s: %s", e.Key, e.Problem)
	if e.Allowed != "" {
		msg += " (allowed: " + e.Allowed + ")"
	}
	return msg
}

// knownKeys are the keys Config reads; any other key in the namespace is an error, so a typo is never
// silently ignored.
var knownKeys = []string{
	"environment", "location", "namePrefix", "tags", "network", "storage", "keyVault", "monitoring",
	"budget", "groups", "compute", "orchestration", "warehouse", "policyExceptions",
	"protection",
}

// retiredIdentity says what replaced the identity key (identity.secretRotation, the month the
// Databricks service principal's secret was issued).
const retiredIdentity = "is no longer configured: the Databricks service principal and its secret are gone; the pipeline " +
	"cluster reaches the lake through Unity Catalog (the lake's access connector, a managed identity) and runs as Data " +
	"Factory's managed identity, so there is no secret to rotate"

// defaults for optional keys.
var (
	defaultKeyVault      = KeyVaultConfig{SoftDeleteRetentionDays: 90}
	defaultCompute       = ComputeConfig{SparkVersion: "15.4.x-scala2.12", NodeType: "Standard_DS3_v2", MinWorkers: 1, MaxWorkers: 4, AutoTerminationMinutes: 20, PublicNetworkAccess: "Enabled"}
	defaultOrchestration = OrchestrationConfig{TriggerEnabled: false, QualityThreshold: 95, QualityAlertThreshold: 98, MaxRunMinutes: 120}
	defaultWarehouse     = WarehouseConfig{DedicatedSQLPool: false, DedicatedSQLPoolSku: "DW100c", SparkVersion: "3.5"}
)

// Load reads and validates the stack's config. allKeys are every config key the stack sets (any
// namespace); unknown keys of this project's namespace are rejected. Nothing is registered here, so a bad
// config stops the program before any resource exists.
func Load(ctx *pulumi.Context, allKeys []string) (*Config, error) {
	return load(ctx, allKeys, time.Time{})
}

// load is Load at a given time (zero: the wall clock).
func load(ctx *pulumi.Context, allKeys []string, now time.Time) (*Config, error) {
	var errs []error
	for _, k := range allKeys {
		ns, name, ok := strings.Cut(k, ":")
		if ok && ns == Namespace && !slices.Contains(knownKeys, name) && name != "identity" {
			errs = append(errs, &ConfigError{Key: k, Problem: "unknown key", Allowed: strings.Join(prefixed(knownKeys), ", ")})
		}
	}

	cfg := &Config{KeyVault: defaultKeyVault, Protection: defaultProtection, Compute: defaultCompute, Orchestration: defaultOrchestration, Warehouse: defaultWarehouse}
	str := func(name string, dst *string) {
		v, err := config.Try(ctx, Key(name))
		if err != nil {
			errs = append(errs, &ConfigError{Key: Key(name), Problem: "is required"})
			return
		}
		*dst = v
	}
	var env string
	str("environment", &env)
	cfg.Environment = Environment(env)
	str("location", &cfg.Location)
	str("namePrefix", &cfg.NamePrefix)

	object := func(name string, required bool, dst any) {
		raw, err := config.Try(ctx, Key(name))
		if err != nil {
			if required {
				errs = append(errs, &ConfigError{Key: Key(name), Problem: "is required"})
			}
			return
		}
		if err := decodeStrict(raw, dst); err != nil {
			errs = append(errs, &ConfigError{Key: Key(name), Problem: err.Error()})
		}
	}
	object("tags", false, &cfg.Tags)
	object("network", true, &cfg.Network)
	object("storage", true, &cfg.Storage)
	object("keyVault", false, &cfg.KeyVault)
	object("monitoring", true, &cfg.Monitoring)
	if raw, err := config.Try(ctx, Key("budget")); err == nil && strings.Contains(raw, `"startDate"`) {
		errs = append(errs, &ConfigError{Key: Key("budget.startDate"), Problem: "is no longer configured: a new budget starts on the first of the current month and later updates keep it", Allowed: "remove the key"})
	} else {
		object("budget", true, &cfg.Budget)
	}
	object("groups", true, &cfg.Groups)
	if raw, err := config.Try(ctx, Key("identity")); err == nil {
		key := Key("identity")
		if strings.Contains(raw, `"secretRotation"`) {
			key = Key("identity.secretRotation")
		}
		errs = append(errs, &ConfigError{Key: key, Problem: retiredIdentity, Allowed: "remove the key"})
	}
	object("compute", false, &cfg.Compute)
	object("orchestration", false, &cfg.Orchestration)
	object("warehouse", false, &cfg.Warehouse)
	object("policyExceptions", false, &cfg.PolicyExceptions)
	object("protection", false, &cfg.Protection)

	cfg.ProviderLocation, _ = ctx.GetConfig("azure-native:location")
	cfg.Now = now
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// decodeStrict decodes a JSON config object, rejecting unknown fields.
func decodeStrict(raw string, dst any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("is not valid: %v", err)
	}
	return nil
}

func prefixed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = Key(n)
	}
	return out
}

var (
	guidPattern         = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	sparkVersionPattern = regexp.MustCompile(`^\d+\.\d+\.x-(photon-)?scala2\.1[23]$`)
	nodeTypePattern     = regexp.MustCompile(`^Standard_[A-Za-z0-9_]+$`)
	tagKeyPattern       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,127}$`)
	sqlPoolSkuPattern   = regexp.MustCompile(`^DW[1-9][0-9]{2,4}c$`)
)

// geoRedundant replications keep a copy in the paired region.
var geoRedundant = []storage.SkuName{storage.SkuName_Standard_GRS, storage.SkuName_Standard_RAGRS, storage.SkuName_Standard_GZRS, storage.SkuName_Standard_RAGZRS}

var replications = []storage.SkuName{storage.SkuName_Standard_LRS, storage.SkuName_Standard_ZRS, storage.SkuName_Standard_GRS, storage.SkuName_Standard_RAGRS, storage.SkuName_Standard_GZRS, storage.SkuName_Standard_RAGZRS}

// Validate checks every value and reports all problems at once, each naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, problem, allowed string) {
		errs = append(errs, &ConfigError{Key: Key(key), Problem: problem, Allowed: allowed})
	}
	prod := c.Environment == EnvProd

	if !slices.Contains(environments, c.Environment) {
		bad("environment", fmt.Sprintf("%q is not supported", c.Environment), joinAny(environments))
	}
	if _, ok := naming.RegionCode(c.Location); !ok {
		bad("location", fmt.Sprintf("%q is not supported", c.Location), strings.Join(naming.Regions(), ", "))
	} else if c.ProviderLocation != "" && c.ProviderLocation != c.Location {
		errs = append(errs, &ConfigError{Key: "azure-native:location", Problem: fmt.Sprintf("%q differs from %s %q", c.ProviderLocation, Key("location"), c.Location), Allowed: c.Location})
	}
	if !naming.ValidPrefix(c.NamePrefix) {
		bad("namePrefix", fmt.Sprintf("%q is not a valid prefix", c.NamePrefix), "2-6 lowercase letters or digits, starting with a letter")
	}
	for k, v := range c.Tags {
		if slices.Contains(naming.ReservedTagKeys, k) {
			bad("tags."+k, "is set by the platform", "any key except "+strings.Join(naming.ReservedTagKeys, ", "))
		} else if !tagKeyPattern.MatchString(k) || len(v) > 256 {
			bad("tags."+k, "is not a valid Azure tag", "keys of letters, digits, _ . - up to 128 chars; values up to 256 chars")
		}
	}
	if _, ok := c.Tags["CostCenter"]; !ok {
		bad("tags.CostCenter", "is required for cost reporting", "any non-empty value")
	}

	// network
	modes := []components.NetworkMode{components.NetworkModeFirewall, components.NetworkModePrivate}
	if !slices.Contains(modes, c.Network.Mode) {
		bad("network.mode", fmt.Sprintf("%q is not supported", c.Network.Mode), joinAny(modes))
	} else if prod && c.Network.Mode != components.NetworkModePrivate {
		bad("network.mode", "prod must not expose public endpoints", string(components.NetworkModePrivate))
	}
	if p, err := netip.ParsePrefix(c.Network.AddressSpace); err != nil || !p.Addr().Is4() || !p.Addr().IsPrivate() || p.Bits() < 16 || p.Bits() > 22 || p.Masked() != p {
		bad("network.addressSpace", fmt.Sprintf("%q is not a private IPv4 network from /16 to /22", c.Network.AddressSpace), "e.g. 10.20.0.0/16")
	}
	if c.Network.Mode == components.NetworkModePrivate && len(c.Network.AllowedIPRanges) > 0 {
		bad("network.allowedIpRanges", "must be empty in private mode (no public endpoint to allow-list)", "[]")
	}
	for i, r := range c.Network.AllowedIPRanges {
		if problem := checkAllowedRange(r); problem != "" {
			bad(fmt.Sprintf("network.allowedIpRanges[%d]", i), fmt.Sprintf("%q %s", r, problem), "public IPv4 addresses or CIDRs of /30 or larger, never 0.0.0.0/0")
		}
	}

	// storage
	if !slices.Contains(replications, c.Storage.Replication) {
		bad("storage.replication", fmt.Sprintf("%q is not supported", c.Storage.Replication), joinAny(replications))
	} else if prod && !slices.Contains(geoRedundant, c.Storage.Replication) {
		bad("storage.replication", fmt.Sprintf("prod needs geo-redundant storage, not %q", c.Storage.Replication), joinAny(geoRedundant))
	}
	if c.Storage.SoftDeleteRetentionDays < 1 || c.Storage.SoftDeleteRetentionDays > 365 {
		bad("storage.softDeleteRetentionDays", fmt.Sprintf("%d is out of range", c.Storage.SoftDeleteRetentionDays), "1..365")
	}

	// key vault
	if c.KeyVault.SoftDeleteRetentionDays < 7 || c.KeyVault.SoftDeleteRetentionDays > 90 {
		bad("keyVault.softDeleteRetentionDays", fmt.Sprintf("%d is out of range", c.KeyVault.SoftDeleteRetentionDays), "7..90")
	}
	if prod && !c.KeyVault.PurgeProtection {
		bad("keyVault.purgeProtection", "prod vaults must be purge-protected", "true")
	}

	// monitoring and budget
	if c.Monitoring.LogRetentionDays < 30 || c.Monitoring.LogRetentionDays > 730 {
		bad("monitoring.logRetentionDays", fmt.Sprintf("%d is out of range", c.Monitoring.LogRetentionDays), "30..730")
	}
	if len(c.Monitoring.AlertEmails) == 0 {
		bad("monitoring.alertEmails", "needs at least one address", "e-mail addresses")
	}
	for i, e := range c.Monitoring.AlertEmails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			bad(fmt.Sprintf("monitoring.alertEmails[%d]", i), fmt.Sprintf("%q is not an e-mail address", e), "user@domain")
		}
	}
	if c.Budget.Amount <= 0 {
		bad("budget.amount", fmt.Sprintf("%v must be positive", c.Budget.Amount), "> 0")
	}

	// groups (admins: validateDeployIdentity)
	for key, g := range map[string]GroupConfig{"engineers": c.Groups.Engineers, "analysts": c.Groups.Analysts} {
		if strings.TrimSpace(g.DisplayName) == "" || len(g.DisplayName) > 256 {
			bad("groups."+key+".displayName", "is required", "1-256 characters")
		}
		seen := map[string]bool{}
		for i, m := range g.Members {
			if !guidPattern.MatchString(m) {
				bad(fmt.Sprintf("groups.%s.members[%d]", key, i), fmt.Sprintf("%q is not an object id", m), "Entra object ids (GUIDs)")
			} else if seen[strings.ToLower(m)] {
				bad(fmt.Sprintf("groups.%s.members[%d]", key, i), fmt.Sprintf("%q is listed twice", m), "each member once")
			}
			seen[strings.ToLower(m)] = true
		}
	}
	names := []string{c.Groups.Engineers.DisplayName, c.Groups.Analysts.DisplayName, c.Groups.Admins.DisplayName}
	if names[0] != "" && (names[0] == names[1] || names[0] == names[2] || names[1] == names[2]) {
		bad("groups", "display names must differ", "three distinct names")
	}
	c.validateDeployIdentity(bad)

	// compute
	if !sparkVersionPattern.MatchString(c.Compute.SparkVersion) {
		bad("compute.sparkVersion", fmt.Sprintf("%q is not a Databricks runtime key", c.Compute.SparkVersion), "e.g. 15.4.x-scala2.12")
	}
	if !nodeTypePattern.MatchString(c.Compute.NodeType) {
		bad("compute.nodeType", fmt.Sprintf("%q is not an Azure VM size", c.Compute.NodeType), "e.g. Standard_DS3_v2")
	}
	if c.Compute.MinWorkers < 1 || c.Compute.MaxWorkers < c.Compute.MinWorkers || c.Compute.MaxWorkers > MaxWorkersCap {
		bad("compute.minWorkers", fmt.Sprintf("min %d / max %d workers", c.Compute.MinWorkers, c.Compute.MaxWorkers), fmt.Sprintf("1 <= minWorkers <= maxWorkers <= %d", MaxWorkersCap))
	}
	if c.Compute.AutoTerminationMinutes < 10 || c.Compute.AutoTerminationMinutes > 120 {
		bad("compute.autoTerminationMinutes", fmt.Sprintf("%d is out of range", c.Compute.AutoTerminationMinutes), "10..120")
	}

	switch c.Compute.PublicNetworkAccess {
	case "Enabled":
	case "Disabled":
		if c.Network.Mode != components.NetworkModePrivate {
			bad("compute.publicNetworkAccess", "Disabled needs network.mode private (a private endpoint to the workspace)", "Enabled")
		}
	default:
		bad("compute.publicNetworkAccess", fmt.Sprintf("%q is not supported", c.Compute.PublicNetworkAccess), "Enabled, Disabled")
	}

	// orchestration and warehouse
	o := c.Orchestration
	if o.QualityThreshold <= 0 || o.QualityThreshold > 100 {
		bad("orchestration.qualityThreshold", fmt.Sprintf("%v is out of range", o.QualityThreshold), "a percentage in (0, 100]")
	}
	if o.QualityAlertThreshold < o.QualityThreshold || o.QualityAlertThreshold > 100 {
		bad("orchestration.qualityAlertThreshold", fmt.Sprintf("%v must warn before runs fail", o.QualityAlertThreshold), fmt.Sprintf("qualityThreshold (%v) .. 100", o.QualityThreshold))
	}
	if o.MaxRunMinutes < 10 || o.MaxRunMinutes > 24*60 {
		bad("orchestration.maxRunMinutes", fmt.Sprintf("%d is out of range", o.MaxRunMinutes), "10..1440")
	}
	if !sqlPoolSkuPattern.MatchString(c.Warehouse.DedicatedSQLPoolSku) {
		bad("warehouse.dedicatedSqlPoolSku", fmt.Sprintf("%q is not a dedicated SQL pool level", c.Warehouse.DedicatedSQLPoolSku), "DW100c .. DW30000c")
	}
	if err := syn.CheckSparkVersion(c.Warehouse.SparkVersion, c.now()); err != nil {
		allowed := joinAny(syn.SupportedSparkVersions(c.now()))
		if allowed == "" {
			allowed = "none known: add the current runtime to synapse.SparkRuntimes"
		}
		bad("warehouse.sparkVersion", err.Error(), allowed+" (supported Synapse runtimes, "+syn.SparkRuntimeLifecycle+")")
	}

	// policy exceptions
	if prod && len(c.PolicyExceptions) > 0 {
		bad("policyExceptions", "prod must satisfy every policy rule", "{}")
	}
	for _, id := range sortedKeys(c.PolicyExceptions) {
		if _, ok := policy.Lookup(id); !ok {
			bad("policyExceptions."+id, "is not a known policy rule", strings.Join(policy.IDs(), ", "))
		} else if len(strings.TrimSpace(c.PolicyExceptions[id])) < 10 {
			bad("policyExceptions."+id, "needs a reason", "a sentence saying why the relaxation is deliberate")
		}
	}

	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// MaxWorkersCap is the most workers the cluster policy allows; config may not exceed it.
const MaxWorkersCap = 10

// checkAllowedRange explains why r cannot be a firewall allow-list entry, or returns "".
func checkAllowedRange(r string) string {
	if !strings.Contains(r, "/") {
		r += "/32"
	}
	p, err := netip.ParsePrefix(r)
	switch {
	case err != nil || !p.Addr().Is4() || p.Masked() != p:
		return "is not an IPv4 address or network"
	case p.Bits() == 0:
		return "would allow the whole Internet"
	case p.Bits() == 31:
		return "is a /31, which storage firewalls reject"
	case p.Addr().IsPrivate() || p.Addr().IsLoopback() || p.Addr().IsLinkLocalUnicast():
		return "is not a public address (firewalls allow-list public sources only)"
	}
	return ""
}

func joinAny[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// --- deploy identity and protection (issue 9: items 7, 9, 11) ---------------------------------------

// AdminsGroupConfig is groups.admins: an existing Entra group that the tenant's admins own and whose
// membership they manage. The program never creates or owns it, so the deploy identity cannot add
// anyone to it (docs/delivery.md, bootstrap step 4).
type AdminsGroupConfig struct {
	// ObjectID of the existing group.
	ObjectID string `json:"objectId"`
	// DisplayName is the group's name as Entra shows it; the Synapse SQL admin login uses it.
	DisplayName string `json:"displayName"`
}

// ProtectionConfig is the "protection" key.
type ProtectionConfig struct {
	// Stateful puts pulumi protect and a CanNotDelete lock on the lake, Key Vault, Synapse workspace and
	// Log Analytics workspace. On by default; a throw-away stack (dev, e2e) turns it off.
	Stateful bool `json:"stateful"`
}

var defaultProtection = ProtectionConfig{Stateful: true}

// validateDeployIdentity checks the keys of this block.
func (c *Config) validateDeployIdentity(bad func(key, problem, allowed string)) {
	admins := c.Groups.Admins
	if !guidPattern.MatchString(admins.ObjectID) {
		bad("groups.admins.objectId", fmt.Sprintf("%q is not an object id", admins.ObjectID),
			"the object id (GUID) of an existing group that the tenant admins manage")
	}
	if strings.TrimSpace(admins.DisplayName) == "" || len(admins.DisplayName) > 256 {
		bad("groups.admins.displayName", "is required", "the existing group's display name, 1-256 characters")
	}
}
