package components

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	dbx "github.com/customer-analytics/platform/internal/bindings/databricks"
	"github.com/customer-analytics/platform/internal/goldcontract"
)

// Privilege is a Unity Catalog privilege as the Databricks provider names it.
type Privilege string

// The privileges the platform grants.
const (
	PrivUseCatalog          Privilege = "USE_CATALOG"
	PrivUseSchema           Privilege = "USE_SCHEMA"
	PrivSelect              Privilege = "SELECT"
	PrivModify              Privilege = "MODIFY"
	PrivCreateTable         Privilege = "CREATE_TABLE"
	PrivReadFiles           Privilege = "READ_FILES"
	PrivWriteFiles          Privilege = "WRITE_FILES"
	PrivCreateExternalTable Privilege = "CREATE_EXTERNAL_TABLE"
)

// MedallionLayers are the lake containers Unity Catalog governs: one external location and one schema each.
var MedallionLayers = []Container{ContainerBronze, ContainerSilver, ContainerGold}

// CatalogStorageRootFolder is the folder of the silver container that holds the catalog's managed
// storage: the metastore may have no root storage, and silver is readable by no analyst in Azure RBAC.
const CatalogStorageRootFolder = "unity_catalog"

// CatalogArgs configures the Unity Catalog objects of one environment.
type CatalogArgs struct {
	// Name is the catalog's name, also the prefix of the credential and location names (they are
	// unique per metastore, which the environments of a region share).
	Name               string
	StorageAccountName pulumi.StringInput
	// AccessConnectorID is the access connector the storage credential uses.
	AccessConnectorID pulumi.StringInput
	// Compute supplies the workspace provider and the workspace principals grants wait for.
	Compute *Compute
	// EngineersGroup and AnalystsGroup are the account groups' display names; Pipeline is the
	// application id of the identity that runs the notebooks.
	EngineersGroup, AnalystsGroup string
	Pipeline                      pulumi.StringInput
	// Gold is the gold contract: the tables registered in the gold schema.
	Gold goldcontract.Contract
}

// Catalog is the environment's Unity Catalog: storage credential, external locations, catalog,
// schemas, gold tables and their grants.
type Catalog struct {
	pulumi.ResourceState

	CatalogName pulumi.StringOutput
}

// NewCatalog creates the storage credential for the access connector, one external location per
// medallion container, the catalog with schemas bronze/silver/gold, the gold tables as external Delta
// tables at the paths Synapse reads, and one Grants per securable.
func NewCatalog(ctx *pulumi.Context, name string, args *CatalogArgs, opts ...pulumi.ResourceOption) (*Catalog, error) {
	if err := args.validate(name); err != nil {
		return nil, err
	}
	c := &Catalog{}
	if err := ctx.RegisterComponentResource("analytics:catalog:Catalog", name, c, opts...); err != nil {
		return nil, err
	}
	uc := &catalogBuilder{ctx: ctx, name: name, args: args, opts: append([]pulumi.ResourceOption{pulumi.Parent(c)}, args.Compute.InWorkspace...)}
	locations, err := uc.newLocations()
	if err != nil {
		return nil, err
	}
	catalog, schemas, err := uc.newCatalog(locations)
	if err != nil {
		return nil, err
	}
	tables, err := uc.newGoldTables(catalog, schemas[ContainerGold], locations[ContainerGold])
	if err != nil {
		return nil, err
	}
	if err := uc.grantAll(catalog, schemas, locations, tables); err != nil {
		return nil, err
	}
	c.CatalogName = catalog.Name
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"catalogName": c.CatalogName}); err != nil {
		return nil, err
	}
	return c, nil
}

func (args *CatalogArgs) validate(name string) error {
	if args == nil {
		return fmt.Errorf("catalog %s: args are required", name)
	}
	if err := requireInputs("catalog "+name, map[string]any{
		"StorageAccountName": args.StorageAccountName, "AccessConnectorID": args.AccessConnectorID,
		"Compute": args.Compute, "Pipeline": args.Pipeline,
	}); err != nil {
		return err
	}
	switch {
	case args.Name == "":
		return fmt.Errorf("catalog %s: Name is required", name)
	case args.EngineersGroup == "" || args.AnalystsGroup == "":
		return fmt.Errorf("catalog %s: both group names are required", name)
	case len(args.Gold.Tables) == 0:
		return fmt.Errorf("catalog %s: the gold contract has no tables", name)
	}
	return nil
}

// LayerURL is the abfss URL of a medallion container (or a path in it).
func LayerURL(account pulumi.StringInput, layer Container, path string) pulumi.StringOutput {
	return pulumi.Sprintf("abfss://%s@%s.dfs.core.windows.net/%s", string(layer), account, path)
}

type catalogBuilder struct {
	ctx  *pulumi.Context
	name string
	args *CatalogArgs
	opts []pulumi.ResourceOption
}

func (b *catalogBuilder) with(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(append([]pulumi.ResourceOption{}, b.opts...), extra...)
}

// newLocations creates the storage credential and the bronze, silver and gold external locations.
func (b *catalogBuilder) newLocations() (map[Container]*dbx.ExternalLocation, error) {
	cred, err := dbx.NewStorageCredential(b.ctx, child(b.name, "storage-credential"), &dbx.StorageCredentialArgs{
		Name:                 pulumi.String(b.args.Name + "_lake"),
		Comment:              pulumi.String("The lake's access connector (managed identity, no secret)"),
		AzureManagedIdentity: &dbx.StorageCredentialAzureManagedIdentityArgs{AccessConnectorId: b.args.AccessConnectorID},
		// Usable only from the workspaces bound to it: this environment's.
		IsolationMode: pulumi.String("ISOLATION_MODE_ISOLATED"),
	}, b.opts...)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: storage credential: %w", b.name, err)
	}
	out := map[Container]*dbx.ExternalLocation{}
	for _, layer := range MedallionLayers {
		loc, err := dbx.NewExternalLocation(b.ctx, child(b.name, "location-"+string(layer)), &dbx.ExternalLocationArgs{
			Name:           pulumi.String(b.args.Name + "_" + string(layer)),
			Url:            LayerURL(b.args.StorageAccountName, layer, ""),
			CredentialName: cred.Name,
			Comment:        pulumi.String("The " + string(layer) + " container"),
			IsolationMode:  pulumi.String("ISOLATION_MODE_ISOLATED"),
		}, b.opts...)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: external location %s: %w", b.name, layer, err)
		}
		out[layer] = loc
	}
	return out, nil
}

// newCatalog creates the catalog (managed storage under silver) and one schema per layer.
func (b *catalogBuilder) newCatalog(locations map[Container]*dbx.ExternalLocation) (*dbx.Catalog, map[Container]*dbx.Schema, error) {
	catalog, err := dbx.NewCatalog(b.ctx, child(b.name, "catalog"), &dbx.CatalogArgs{
		Name:          pulumi.String(b.args.Name),
		Comment:       pulumi.String("Customer analytics medallion lake"),
		StorageRoot:   LayerURL(b.args.StorageAccountName, ContainerSilver, CatalogStorageRootFolder),
		IsolationMode: pulumi.String("ISOLATED"),
	}, b.with(pulumi.DependsOn([]pulumi.Resource{locations[ContainerSilver]}))...)
	if err != nil {
		return nil, nil, fmt.Errorf("catalog %s: catalog: %w", b.name, err)
	}
	schemas := map[Container]*dbx.Schema{}
	for _, layer := range MedallionLayers {
		s, err := dbx.NewSchema(b.ctx, child(b.name, "schema-"+string(layer)), &dbx.SchemaArgs{
			CatalogName: catalog.Name,
			Name:        pulumi.String(string(layer)),
			Comment:     pulumi.String("The " + string(layer) + " layer"),
		}, b.opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("catalog %s: schema %s: %w", b.name, layer, err)
		}
		schemas[layer] = s
	}
	return catalog, schemas, nil
}

// newGoldTables registers each gold contract table as an external Delta table at gold/<table>, the
// folder Synapse serverless reads, with the contract's columns and Delta reader settings.
func (b *catalogBuilder) newGoldTables(catalog *dbx.Catalog, schema *dbx.Schema, location *dbx.ExternalLocation) (map[string]*dbx.SqlTable, error) {
	out := map[string]*dbx.SqlTable{}
	for _, t := range b.args.Gold.Tables {
		cols := dbx.SqlTableColumnArray{}
		for _, col := range t.Columns {
			cols = append(cols, dbx.SqlTableColumnArgs{
				Name: pulumi.String(col.Name), Type: pulumi.String(col.Type), Nullable: pulumi.Bool(col.Nullable), Comment: pulumi.String(col.Description),
			})
		}
		tbl, err := dbx.NewSqlTable(b.ctx, child(b.name, "table-"+resourceKey(t.Name)), &dbx.SqlTableArgs{
			CatalogName:      catalog.Name,
			SchemaName:       schema.Name,
			Name:             pulumi.String(t.Name),
			TableType:        pulumi.String("EXTERNAL"),
			DataSourceFormat: pulumi.String("DELTA"),
			StorageLocation:  LayerURL(b.args.StorageAccountName, ContainerGold, t.Name),
			Columns:          cols,
			Properties:       pulumi.ToStringMap(b.args.Gold.TableProperties),
			Comment:          pulumi.String(t.Description),
		}, b.with(pulumi.DependsOn([]pulumi.Resource{location}))...)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: table %s: %w", b.name, t.Name, err)
		}
		out[t.Name] = tbl
	}
	return out, nil
}

// Access is who gets which privileges on one securable.
type Access map[string][]Privilege

// CatalogGrants is the least-privilege model per securable ("catalog", "schema/<layer>",
// "location/<layer>", "table/<name>"): analysts read the gold tables and nothing else; engineers work on
// all three layers; the pipeline identity reads bronze files, reads and writes silver files and
// writes the gold tables.
func CatalogGrants(engineers, analysts, pipeline string, goldTables []string) map[string]Access {
	work := []Privilege{PrivUseSchema, PrivCreateTable, PrivSelect, PrivModify}
	files := []Privilege{PrivReadFiles, PrivWriteFiles, PrivCreateExternalTable}
	g := map[string]Access{
		"catalog":         {engineers: {PrivUseCatalog}, analysts: {PrivUseCatalog}, pipeline: {PrivUseCatalog}},
		"schema/bronze":   {engineers: work},
		"schema/silver":   {engineers: work},
		"schema/gold":     {engineers: work, analysts: {PrivUseSchema}, pipeline: {PrivUseSchema}},
		"location/bronze": {engineers: files, pipeline: {PrivReadFiles}},
		"location/silver": {engineers: files, pipeline: {PrivReadFiles, PrivWriteFiles}},
		"location/gold":   {engineers: files},
	}
	for _, t := range goldTables {
		g["table/"+t] = Access{analysts: {PrivSelect}, pipeline: {PrivModify, PrivSelect}}
	}
	return g
}

// grantAll creates one Grants per securable from CatalogGrants, after the principals exist in the
// workspace. The pipeline's principal is its application id, known only at deploy time, so the model
// uses a placeholder that is replaced here.
func (b *catalogBuilder) grantAll(catalog *dbx.Catalog, schemas map[Container]*dbx.Schema, locations map[Container]*dbx.ExternalLocation, tables map[string]*dbx.SqlTable) error {
	const pipeline = "<pipeline>"
	var names []string
	for _, t := range b.args.Gold.Tables {
		names = append(names, t.Name)
	}
	model := CatalogGrants(b.args.EngineersGroup, b.args.AnalystsGroup, pipeline, names)
	securables := map[string]*dbx.GrantsArgs{"catalog": {Catalog: catalog.Name}}
	for _, layer := range MedallionLayers {
		securables["schema/"+string(layer)] = &dbx.GrantsArgs{Schema: pulumi.Sprintf("%s.%s", catalog.Name, schemas[layer].Name)}
		securables["location/"+string(layer)] = &dbx.GrantsArgs{ExternalLocation: locations[layer].Name}
	}
	for _, t := range b.args.Gold.Tables {
		securables["table/"+t.Name] = &dbx.GrantsArgs{Table: pulumi.Sprintf("%s.%s.%s", catalog.Name, schemas[ContainerGold].Name, tables[t.Name].Name)}
	}
	keys := make([]string, 0, len(model))
	for k := range model {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		grants := securables[key]
		principals := make([]string, 0, len(model[key]))
		for p := range model[key] {
			principals = append(principals, p)
		}
		sort.Strings(principals)
		for _, p := range principals {
			var principal pulumi.StringInput = pulumi.String(p)
			if p == pipeline {
				principal = b.args.Pipeline
			}
			privs := pulumi.StringArray{}
			for _, priv := range model[key][p] {
				privs = append(privs, pulumi.String(string(priv)))
			}
			grants.Grants = append(grants.Grants, dbx.GrantsGrantArgs{Principal: principal, Privileges: privs})
		}
		if _, err := dbx.NewGrants(b.ctx, child(b.name, "grants-"+resourceKey(key)), grants,
			b.with(pulumi.DependsOn(b.args.Compute.Principals))...); err != nil {
			return fmt.Errorf("catalog %s: grants on %s: %w", b.name, key, err)
		}
	}
	return nil
}
