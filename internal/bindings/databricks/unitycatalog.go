package databricks

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Unity Catalog securables: storage credential, external locations, catalog, schemas, tables and their
// grants. All are created through the workspace-level provider; the workspace must already be assigned
// to a metastore (a one-time account-admin step, see docs/delivery.md).

// ---- StorageCredential --------------------------------------------------------------------------

// StorageCredential is a Unity Catalog storage credential (databricks:index/storageCredential:StorageCredential).
type StorageCredential struct {
	pulumi.CustomResourceState

	Name                pulumi.StringOutput `pulumi:"name"`
	StorageCredentialId pulumi.StringOutput `pulumi:"storageCredentialId"`
}

type storageCredentialArgs struct {
	AzureManagedIdentity *StorageCredentialAzureManagedIdentity `pulumi:"azureManagedIdentity"`
	Comment              *string                                `pulumi:"comment"`
	IsolationMode        *string                                `pulumi:"isolationMode"`
	Name                 *string                                `pulumi:"name"`
	ReadOnly             *bool                                  `pulumi:"readOnly"`
}

// StorageCredentialArgs are the inputs of a StorageCredential.
type StorageCredentialArgs struct {
	AzureManagedIdentity *StorageCredentialAzureManagedIdentityArgs
	Comment              pulumi.StringPtrInput
	IsolationMode        pulumi.StringPtrInput
	Name                 pulumi.StringPtrInput
	ReadOnly             pulumi.BoolPtrInput
}

func (StorageCredentialArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*storageCredentialArgs)(nil)).Elem()
}

// NewStorageCredential registers a storage credential.
func NewStorageCredential(ctx *pulumi.Context, name string, args *StorageCredentialArgs, opts ...pulumi.ResourceOption) (*StorageCredential, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res StorageCredential
	if err := register(ctx, "databricks:index/storageCredential:StorageCredential", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- ExternalLocation ---------------------------------------------------------------------------

// ExternalLocation is a Unity Catalog external location (databricks:index/externalLocation:ExternalLocation).
type ExternalLocation struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
	Url  pulumi.StringOutput `pulumi:"url"`
}

type externalLocationArgs struct {
	Comment        *string `pulumi:"comment"`
	CredentialName string  `pulumi:"credentialName"`
	IsolationMode  *string `pulumi:"isolationMode"`
	Name           *string `pulumi:"name"`
	ReadOnly       *bool   `pulumi:"readOnly"`
	Url            string  `pulumi:"url"`
}

// ExternalLocationArgs are the inputs of an ExternalLocation.
type ExternalLocationArgs struct {
	Comment        pulumi.StringPtrInput
	CredentialName pulumi.StringInput
	IsolationMode  pulumi.StringPtrInput
	Name           pulumi.StringPtrInput
	ReadOnly       pulumi.BoolPtrInput
	Url            pulumi.StringInput
}

func (ExternalLocationArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*externalLocationArgs)(nil)).Elem()
}

// NewExternalLocation registers an external location.
func NewExternalLocation(ctx *pulumi.Context, name string, args *ExternalLocationArgs, opts ...pulumi.ResourceOption) (*ExternalLocation, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res ExternalLocation
	if err := register(ctx, "databricks:index/externalLocation:ExternalLocation", name, args, &res,
		map[string]bool{"CredentialName": args.CredentialName != nil, "Url": args.Url != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- Catalog, Schema ----------------------------------------------------------------------------

// Catalog is a Unity Catalog catalog (databricks:index/catalog:Catalog).
type Catalog struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

type catalogArgs struct {
	Comment       *string           `pulumi:"comment"`
	IsolationMode *string           `pulumi:"isolationMode"`
	Name          *string           `pulumi:"name"`
	Properties    map[string]string `pulumi:"properties"`
	StorageRoot   *string           `pulumi:"storageRoot"`
}

// CatalogArgs are the inputs of a Catalog. StorageRoot is where its managed tables go; it must lie under
// an external location, and is needed when the metastore has no root storage.
type CatalogArgs struct {
	Comment       pulumi.StringPtrInput
	IsolationMode pulumi.StringPtrInput
	Name          pulumi.StringPtrInput
	Properties    pulumi.StringMapInput
	StorageRoot   pulumi.StringPtrInput
}

func (CatalogArgs) ElementType() reflect.Type { return reflect.TypeOf((*catalogArgs)(nil)).Elem() }

// NewCatalog registers a catalog.
func NewCatalog(ctx *pulumi.Context, name string, args *CatalogArgs, opts ...pulumi.ResourceOption) (*Catalog, error) {
	if args == nil {
		args = &CatalogArgs{}
	}
	var res Catalog
	if err := register(ctx, "databricks:index/catalog:Catalog", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// Schema is a Unity Catalog schema (databricks:index/schema:Schema).
type Schema struct {
	pulumi.CustomResourceState

	CatalogName pulumi.StringOutput `pulumi:"catalogName"`
	Name        pulumi.StringOutput `pulumi:"name"`
}

type schemaArgs struct {
	CatalogName string  `pulumi:"catalogName"`
	Comment     *string `pulumi:"comment"`
	Name        *string `pulumi:"name"`
	StorageRoot *string `pulumi:"storageRoot"`
}

// SchemaArgs are the inputs of a Schema.
type SchemaArgs struct {
	CatalogName pulumi.StringInput
	Comment     pulumi.StringPtrInput
	Name        pulumi.StringPtrInput
	StorageRoot pulumi.StringPtrInput
}

func (SchemaArgs) ElementType() reflect.Type { return reflect.TypeOf((*schemaArgs)(nil)).Elem() }

// NewSchema registers a schema.
func NewSchema(ctx *pulumi.Context, name string, args *SchemaArgs, opts ...pulumi.ResourceOption) (*Schema, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res Schema
	if err := register(ctx, "databricks:index/schema:Schema", name, args, &res, map[string]bool{"CatalogName": args.CatalogName != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- SqlTable -----------------------------------------------------------------------------------

// SqlTable is a Unity Catalog table (databricks:index/sqlTable:SqlTable).
type SqlTable struct {
	pulumi.CustomResourceState

	Name            pulumi.StringOutput    `pulumi:"name"`
	StorageLocation pulumi.StringPtrOutput `pulumi:"storageLocation"`
}

type sqlTableArgs struct {
	CatalogName      string            `pulumi:"catalogName"`
	ClusterId        *string           `pulumi:"clusterId"`
	Columns          []SqlTableColumn  `pulumi:"columns"`
	Comment          *string           `pulumi:"comment"`
	DataSourceFormat *string           `pulumi:"dataSourceFormat"`
	Name             *string           `pulumi:"name"`
	Properties       map[string]string `pulumi:"properties"`
	SchemaName       string            `pulumi:"schemaName"`
	StorageLocation  *string           `pulumi:"storageLocation"`
	TableType        string            `pulumi:"tableType"`
	WarehouseId      *string           `pulumi:"warehouseId"`
}

// SqlTableArgs are the inputs of a SqlTable. Creating one runs SQL on ClusterId or WarehouseId; with
// neither, the provider starts a small single-user "terraform-sql-table" cluster for the deploy identity.
type SqlTableArgs struct {
	CatalogName      pulumi.StringInput
	ClusterId        pulumi.StringPtrInput
	Columns          SqlTableColumnArray
	Comment          pulumi.StringPtrInput
	DataSourceFormat pulumi.StringPtrInput
	Name             pulumi.StringPtrInput
	Properties       pulumi.StringMapInput
	SchemaName       pulumi.StringInput
	StorageLocation  pulumi.StringPtrInput
	TableType        pulumi.StringInput
	WarehouseId      pulumi.StringPtrInput
}

func (SqlTableArgs) ElementType() reflect.Type { return reflect.TypeOf((*sqlTableArgs)(nil)).Elem() }

// NewSqlTable registers a table.
func NewSqlTable(ctx *pulumi.Context, name string, args *SqlTableArgs, opts ...pulumi.ResourceOption) (*SqlTable, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res SqlTable
	if err := register(ctx, "databricks:index/sqlTable:SqlTable", name, args, &res, map[string]bool{
		"CatalogName": args.CatalogName != nil, "SchemaName": args.SchemaName != nil, "TableType": args.TableType != nil,
	}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- Grants -------------------------------------------------------------------------------------

// Grants is the complete set of Unity Catalog grants on one securable (databricks:index/grants:Grants):
// privileges of principals not listed are revoked.
type Grants struct {
	pulumi.CustomResourceState
}

type grantsArgs struct {
	Catalog           *string       `pulumi:"catalog"`
	ExternalLocation  *string       `pulumi:"externalLocation"`
	Grants            []GrantsGrant `pulumi:"grants"`
	Schema            *string       `pulumi:"schema"`
	StorageCredential *string       `pulumi:"storageCredential"`
	Table             *string       `pulumi:"table"`
}

// GrantsArgs are the inputs of Grants; set exactly one securable.
type GrantsArgs struct {
	Catalog           pulumi.StringPtrInput
	ExternalLocation  pulumi.StringPtrInput
	Grants            GrantsGrantArray
	Schema            pulumi.StringPtrInput
	StorageCredential pulumi.StringPtrInput
	Table             pulumi.StringPtrInput
}

func (GrantsArgs) ElementType() reflect.Type { return reflect.TypeOf((*grantsArgs)(nil)).Elem() }

// NewGrants registers the grants of one securable.
func NewGrants(ctx *pulumi.Context, name string, args *GrantsArgs, opts ...pulumi.ResourceOption) (*Grants, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	securables := 0
	for _, set := range []bool{args.Catalog != nil, args.ExternalLocation != nil, args.Schema != nil, args.StorageCredential != nil, args.Table != nil} {
		if set {
			securables++
		}
	}
	if securables != 1 {
		return nil, errors.New("grants: set exactly one of Catalog, ExternalLocation, Schema, StorageCredential, Table")
	}
	var res Grants
	if err := register(ctx, "databricks:index/grants:Grants", name, args, &res, map[string]bool{"Grants": len(args.Grants) > 0}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
