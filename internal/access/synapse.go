package access

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
)

// SQL is what the Synapse serverless scripts grant: roles and their members, Entra users, GRANTs, and
// which lake path each credential reaches through the external data sources that use it. Names keep
// their sqlcmd variables ($(AnalystsGroup)); the matrix substitutes them from the plan.
type SQL struct {
	Roles   []string
	Users   []string            // CREATE USER [...] FROM EXTERNAL PROVIDER
	Members map[string][]string // role -> members
	Grants  []SQLGrant
	// CredentialPaths are the data source locations per credential.
	CredentialPaths map[string][]string
}

// SQLGrant is one permission of one GRANT statement.
type SQLGrant struct {
	Permission string // "SELECT", "REFERENCES"
	Class      string // "OBJECT", "SCHEMA", "DATABASE SCOPED CREDENTIAL"; "DATABASE" without ON
	Object     string // "gold.vw_store_comparison", "WorkspaceIdentity"
	Grantee    string
	File       string
}

var (
	sqlComment   = regexp.MustCompile(`--[^\n]*`)
	sqlName      = `(\[[^\]]+\]|[A-Za-z_][\w$()]*)`
	sqlRole      = regexp.MustCompile(`(?i)\bCREATE\s+ROLE\s+` + sqlName)
	sqlUser      = regexp.MustCompile(`(?i)\bCREATE\s+USER\s+` + sqlName + `\s+FROM\s+EXTERNAL\s+PROVIDER`)
	sqlMember    = regexp.MustCompile(`(?i)\bALTER\s+ROLE\s+` + sqlName + `\s+ADD\s+MEMBER\s+` + sqlName)
	sqlGrantStmt = regexp.MustCompile(`(?is)\bGRANT\s+(.+?)\s+TO\s+(.+?)\s*(?:WITH\s+GRANT\s+OPTION\s*)?;`)
	sqlGrantOn   = regexp.MustCompile(`(?is)^(.+?)\s+ON\s+(?:([A-Z ]+?)\s*::\s*)?(\S+)$`)
	sqlSource    = regexp.MustCompile(`(?is)\bCREATE\s+EXTERNAL\s+DATA\s+SOURCE\s+` + sqlName + `\s+WITH\s*\((.*?)\)\s*;`)
	sqlLocation  = regexp.MustCompile(`(?i)\bLOCATION\s*=\s*'([^']*)'`)
	sqlCred      = regexp.MustCompile(`(?i)\bCREDENTIAL\s*=\s*` + sqlName)
	// Statements that would change the picture and that the reader does not model: it refuses them
	// rather than print a matrix that misses a revocation or a membership.
	sqlUnsupported = regexp.MustCompile(`(?i)\b(DENY|REVOKE|sp_addrolemember|sp_droprolemember|sp_addsrvrolemember)\b|\bALTER\s+ROLE\s+\S+\s+DROP\s+MEMBER|\bALTER\s+SERVER\s+ROLE|\bALTER\s+AUTHORIZATION`)
	sqlGrantWord   = regexp.MustCompile(`(?i)\bGRANT\b`)
	sqlGrantOption = regexp.MustCompile(`(?i)\bWITH\s+GRANT\s+OPTION\b`)
	sqlScriptName  = regexp.MustCompile(`^\d{3}_[a-z0-9_]+\.sql$`)
)

// ReadSQL reads every NNN_name.sql script under dir (the repository's synapse/ folder).
func ReadSQL(dir string) (SQL, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return SQL{}, fmt.Errorf("reading the Synapse scripts: %w", err)
	}
	out := SQL{Members: map[string][]string{}, CredentialPaths: map[string][]string{}}
	for _, e := range entries {
		if e.IsDir() || !sqlScriptName.MatchString(e.Name()) {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return SQL{}, fmt.Errorf("reading the Synapse scripts: %w", err)
		}
		if err := out.parse(e.Name(), string(text)); err != nil {
			return SQL{}, err
		}
	}
	return out, nil
}

// ParseSQL reads one script's text (name is the file name, for errors).
func ParseSQL(name, text string) (SQL, error) {
	out := SQL{Members: map[string][]string{}, CredentialPaths: map[string][]string{}}
	return out, out.parse(name, text)
}

func (s *SQL) parse(file, text string) error {
	text = sqlComment.ReplaceAllString(text, "")
	if m := sqlUnsupported.FindString(text); m != "" {
		return fmt.Errorf("synapse/%s: %q is not modelled by the access matrix: model it in internal/access before using it", file, m)
	}
	for _, m := range sqlRole.FindAllStringSubmatch(text, -1) {
		s.Roles = append(s.Roles, trimmed(m[1]))
	}
	for _, m := range sqlUser.FindAllStringSubmatch(text, -1) {
		s.Users = append(s.Users, trimmed(m[1]))
	}
	for _, m := range sqlMember.FindAllStringSubmatch(text, -1) {
		s.Members[trimmed(m[1])] = append(s.Members[trimmed(m[1])], trimmed(m[2]))
	}
	for _, m := range sqlSource.FindAllStringSubmatch(text, -1) {
		loc, cred := sqlLocation.FindStringSubmatch(m[2]), sqlCred.FindStringSubmatch(m[2])
		if loc != nil && cred != nil {
			s.CredentialPaths[trimmed(cred[1])] = append(s.CredentialPaths[trimmed(cred[1])], loc[1])
		}
	}
	stmts := sqlGrantStmt.FindAllStringSubmatch(text, -1)
	if n := len(sqlGrantWord.FindAllString(text, -1)) - len(sqlGrantOption.FindAllString(text, -1)); n != len(stmts) {
		return fmt.Errorf("synapse/%s: %d GRANT keywords but %d GRANT statements read: the access matrix reads `GRANT perms [ON [class::]object] TO principals;` only", file, n, len(stmts))
	}
	for _, m := range stmts {
		if err := s.addGrant(file, m[1], m[2]); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQL) addGrant(file, what, to string) error {
	perms, class, object := what, "DATABASE", ""
	if on := sqlGrantOn.FindStringSubmatch(what); on != nil {
		perms, class, object = on[1], strings.ToUpper(strings.Join(strings.Fields(on[2]), " ")), trimmed(on[3])
		if class == "" {
			class = "OBJECT"
		}
	}
	for _, grantee := range strings.Split(to, ",") {
		for _, p := range strings.Split(perms, ",") {
			p = strings.ToUpper(strings.Join(strings.Fields(p), " "))
			if p == "" || trimmed(grantee) == "" {
				return fmt.Errorf("synapse/%s: cannot read GRANT %s TO %s", file, what, to)
			}
			s.Grants = append(s.Grants, SQLGrant{Permission: p, Class: class, Object: object, Grantee: trimmed(grantee), File: file})
		}
	}
	return nil
}

// trimmed is s without surrounding whitespace and brackets: a SQL identifier's name.
func trimmed(s string) string { return strings.Trim(strings.TrimSpace(s), "[]") }

// sqlPermissionLevels classify database permissions; one not listed counts as Manage.
var sqlPermissionLevels = map[string]Level{
	"VIEW DEFINITION":                     View,
	"CONNECT":                             Use,
	"REFERENCES":                          Use,
	"ADMINISTER DATABASE BULK OPERATIONS": Use,
	"SELECT":                              Read,
	"EXECUTE":                             Run,
	"INSERT":                              Write,
	"UPDATE":                              Write,
	"DELETE":                              Write,
	"ALTER":                               Manage,
	"CONTROL":                             Manage,
	"TAKE OWNERSHIP":                      Manage,
}

// SQLVariables are the sqlcmd variables the grant scripts use, from the plan: the same values
// `make synapse-sql` takes from the stack outputs (groupNames.analysts is the analysts group's display
// name; goldContainerName the gold container).
func SQLVariables(inv *inventory.Inventory) map[string]string {
	vars := map[string]string{}
	for _, r := range inv.OfType("azuread:index/group:Group") {
		if inv.Key(r) == "analysts" {
			vars["AnalystsGroup"] = r.InString("displayName")
		}
	}
	for _, r := range inv.OfType("azure-native:storage:StorageAccount") {
		if dfs, ok := r.Out("primaryEndpoints.dfs").(string); ok {
			vars["DfsEndpoint"] = strings.TrimRight(dfs, "/")
		} else if name, ok := r.Out("name").(string); ok {
			vars["DfsEndpoint"] = "https://" + name + ".dfs.core.windows.net"
		}
	}
	for _, r := range inv.OfType("azure-native:storage:BlobContainer") {
		if name, _ := r.Out("name").(string); layerOfName(name) == Gold {
			vars["GoldContainer"] = name
		}
	}
	return vars
}

var sqlVar = regexp.MustCompile(`\$\(([A-Za-z_]\w*)\)`)

// substitute fills in sqlcmd variables; a variable the plan cannot give is an error.
func substitute(s string, vars map[string]string) (string, error) {
	var missing []string
	out := sqlVar.ReplaceAllStringFunc(s, func(v string) string {
		name := sqlVar.FindStringSubmatch(v)[1]
		val, ok := vars[name]
		if !ok {
			missing = append(missing, name)
		}
		return val
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("sqlcmd variable(s) %s in %q: the plan has no value for them", strings.Join(missing, ", "), s)
	}
	return out, nil
}

// sqlGrants places the SQL grants: a grant to a role reaches each member (Via the role), an object in
// schema gold the gold layer, a credential the layers of the containers its data sources read, the
// database itself the platform.
func sqlGrants(q SQL, vars map[string]string, d *directory) ([]grant, error) {
	for _, u := range q.Users {
		name, err := substitute(u, vars)
		if err != nil {
			return nil, err
		}
		if _, ok := d.lookup(name); !ok {
			return nil, fmt.Errorf("the SQL user [%s] names no principal of the plan", name)
		}
	}
	out, err := fixedRoleGrants(q, vars, d)
	if err != nil {
		return nil, err
	}
	for _, g := range q.Grants {
		layers, on, err := sqlObject(g, q, vars)
		if err != nil {
			return nil, err
		}
		level, ok := sqlPermissionLevels[g.Permission]
		if !ok {
			level = Manage
		}
		holders, err := sqlHolders(q, g.Grantee, vars)
		if err != nil {
			return nil, err
		}
		for _, h := range holders {
			for _, l := range layers {
				out = append(out, grant{d.resolve(h.name), l, SynapseSQL, Entry{What: g.Permission, On: on, Via: h.via, Level: level}})
			}
		}
	}
	return out, nil
}

// fixedRoleLevels are the fixed database roles
// (https://learn.microsoft.com/sql/relational-databases/security/authentication-access/database-level-roles);
// membership in one not listed (or in a role the scripts do not create) counts as Manage.
var fixedRoleLevels = map[string]Level{
	"db_datareader":     Read,
	"db_denydatareader": View,
	"db_denydatawriter": View,
	"db_datawriter":     Write,
}

// fixedRoleGrants are memberships in roles the scripts do not create (db_owner, db_datareader, …):
// database-wide, so on the platform row.
func fixedRoleGrants(q SQL, vars map[string]string, d *directory) ([]grant, error) {
	var out []grant
	for role, members := range q.Members {
		if q.isRole(role) {
			continue
		}
		level, ok := fixedRoleLevels[strings.ToLower(role)]
		if !ok {
			level = Manage
		}
		for _, m := range members {
			name, err := substitute(m, vars)
			if err != nil {
				return nil, err
			}
			out = append(out, grant{d.resolve(name), Platform, SynapseSQL, Entry{What: "member of " + role, On: "database", Level: level}})
		}
	}
	return out, nil
}

func (q SQL) isRole(name string) bool {
	for _, r := range q.Roles {
		if strings.EqualFold(r, name) {
			return true
		}
	}
	return false
}

type holder struct{ name, via string }

// sqlHolders are who hold a grantee's permissions: a role's members, or the grantee itself.
func sqlHolders(q SQL, grantee string, vars map[string]string) ([]holder, error) {
	if !q.isRole(grantee) {
		name, err := substitute(grantee, vars)
		return []holder{{name: name}}, err
	}
	var out []holder
	for _, m := range q.Members[grantee] {
		name, err := substitute(m, vars)
		if err != nil {
			return nil, err
		}
		out = append(out, holder{name, "SQL role " + grantee})
	}
	if len(out) == 0 {
		out = append(out, holder{"SQL role " + grantee, ""})
	}
	return out, nil
}

func sqlObject(g SQLGrant, q SQL, vars map[string]string) ([]Layer, string, error) {
	switch g.Class {
	case "OBJECT":
		schema, _, _ := strings.Cut(g.Object, ".")
		return []Layer{layerOfName(trimmed(schema))}, "object " + g.Object, nil
	case "SCHEMA":
		return []Layer{layerOfName(g.Object)}, "schema " + g.Object, nil
	case "DATABASE SCOPED CREDENTIAL":
		var layers []Layer
		for _, p := range q.CredentialPaths[g.Object] {
			loc, err := substitute(p, vars)
			if err != nil {
				return nil, "", err
			}
			layers = append(layers, layerOfName(path.Base(strings.TrimRight(loc, "/"))))
		}
		if len(layers) == 0 {
			layers = []Layer{Platform}
		}
		sort.Slice(layers, func(i, j int) bool { return layers[i] < layers[j] })
		return layers, "credential " + g.Object, nil
	}
	on := strings.ToLower(g.Class)
	if g.Object != "" {
		on += " " + g.Object
	}
	return []Layer{Platform}, on, nil
}
