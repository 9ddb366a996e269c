package components

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkMode is how the data services are reached.
type NetworkMode string

const (
	// NetworkModeFirewall (dev): public endpoints closed by default, opened to allow-listed IP ranges and
	// to the Databricks subnets through service endpoints.
	NetworkModeFirewall NetworkMode = "firewall"
	// NetworkModePrivate (prod): public network access disabled; private endpoints and private DNS only.
	NetworkModePrivate NetworkMode = "private"
)

// DNSZone is a private DNS zone of a private-link service.
type DNSZone string

// The private-link zones the platform's services need (learn.microsoft.com/azure/private-link/private-endpoint-dns).
const (
	ZoneBlob        DNSZone = "privatelink.blob.core.windows.net"
	ZoneDfs         DNSZone = "privatelink.dfs.core.windows.net"
	ZoneVault       DNSZone = "privatelink.vaultcore.azure.net"
	ZoneSynapseSQL  DNSZone = "privatelink.sql.azuresynapse.net" // both "Sql" and "SqlOnDemand" endpoints
	ZoneSynapseDev  DNSZone = "privatelink.dev.azuresynapse.net"
	ZoneDatabricks  DNSZone = "privatelink.azuredatabricks.net"
	ZoneDataFactory DNSZone = "privatelink.datafactory.azure.net"
)

// PrivateZones lists every zone the Network creates in private mode.
var PrivateZones = []DNSZone{ZoneBlob, ZoneDfs, ZoneVault, ZoneSynapseSQL, ZoneSynapseDev, ZoneDatabricks, ZoneDataFactory}

// zoneKeys are short, stable names for the zones' Pulumi resources.
var zoneKeys = map[DNSZone]string{
	ZoneBlob: "blob", ZoneDfs: "dfs", ZoneVault: "vault", ZoneSynapseSQL: "synapse-sql",
	ZoneSynapseDev: "synapse-dev", ZoneDatabricks: "databricks", ZoneDataFactory: "datafactory",
}

// Subnet names; Databricks refers to its two subnets by name.
const (
	SubnetDatabricksHost      = "snet-databricks-host"
	SubnetDatabricksContainer = "snet-databricks-container"
	SubnetPrivateEndpoints    = "snet-private-endpoints"
)

// NetworkArgs configures the Network.
type NetworkArgs struct {
	Foundation
	Mode NetworkMode
	// AddressSpace is the VNet CIDR, /16 to /22; the subnets are its first three /24s.
	AddressSpace string
}

// Network is the VNet the platform's compute runs in and, in private mode, the private DNS the
// private endpoints register in.
type Network struct {
	pulumi.ResourceState

	Mode                          NetworkMode
	VnetID                        pulumi.StringOutput
	VnetName                      pulumi.StringOutput
	DatabricksHostSubnetName      pulumi.StringOutput
	DatabricksHostSubnetID        pulumi.StringOutput
	DatabricksContainerSubnetName pulumi.StringOutput
	DatabricksContainerSubnetID   pulumi.StringOutput
	PrivateEndpointSubnetID       pulumi.StringOutput
	NatPublicIPID                 pulumi.StringOutput
	Zones                         map[DNSZone]pulumi.StringOutput // private mode only
	foundation                    Foundation
}

// subnetPlan splits the address space into the three /24 subnets.
func subnetPlan(addressSpace string) (host, container, endpoints string, err error) {
	p, err := netip.ParsePrefix(addressSpace)
	if err != nil {
		return "", "", "", fmt.Errorf("address space %q is not a CIDR: %w", addressSpace, err)
	}
	if !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 22 || p.Masked() != p {
		return "", "", "", fmt.Errorf("address space %q must be an IPv4 network from /16 to /22", addressSpace)
	}
	base := p.Addr().As4()
	nth := func(i int) string {
		b := base
		b[2] += byte(i)
		return netip.PrefixFrom(netip.AddrFrom4(b), 24).String()
	}
	return nth(0), nth(1), nth(2), nil
}

// NewNetwork creates the VNet, NSGs, NAT egress, subnets and (private mode) the private DNS zones.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, fmt.Errorf("network %s: args are required", name)
	}
	if err := args.Foundation.validate("network " + name); err != nil {
		return nil, err
	}
	if args.Mode != NetworkModeFirewall && args.Mode != NetworkModePrivate {
		return nil, fmt.Errorf("network %s: mode %q is not one of %q, %q", name, args.Mode, NetworkModeFirewall, NetworkModePrivate)
	}
	hostCIDR, containerCIDR, endpointsCIDR, err := subnetPlan(args.AddressSpace)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}

	n := &Network{Mode: args.Mode, foundation: args.Foundation, Zones: map[DNSZone]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("analytics:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	parent := pulumi.Parent(n)

	vnet, err := network.NewVirtualNetwork(ctx, child(name, "vnet"), &network.VirtualNetworkArgs{
		VirtualNetworkName: pulumi.String(f.Names.Regional("vnet")),
		ResourceGroupName:  f.ResourceGroupName,
		Location:           pulumi.String(f.Location),
		AddressSpace:       &network.AddressSpaceArgs{AddressPrefixes: pulumi.StringArray{pulumi.String(args.AddressSpace)}},
		Tags:               f.tags(),
		// Subnets are separate resources; azure-native keeps them when this list is left unset.
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network %s: vnet: %w", name, err)
	}

	databricksNsg, err := newNSG(ctx, name, "nsg-databricks", f, databricksNSGRules, parent)
	if err != nil {
		return nil, err
	}
	endpointsNsg, err := newNSG(ctx, name, "nsg-private-endpoints", f, privateEndpointNSGRules, parent)
	if err != nil {
		return nil, err
	}

	// No-public-IP Databricks clusters need an explicit egress path: new VNets get no default outbound
	// access, so the Databricks subnets route through a NAT gateway with one static public IP.
	natIP, err := network.NewPublicIPAddress(ctx, child(name, "nat-ip"), &network.PublicIPAddressArgs{
		PublicIpAddressName:      pulumi.String(f.Names.Regional("pip-nat")),
		ResourceGroupName:        f.ResourceGroupName,
		Location:                 pulumi.String(f.Location),
		Sku:                      &network.PublicIPAddressSkuArgs{Name: network.PublicIPAddressSkuNameStandard, Tier: network.PublicIPAddressSkuTierRegional},
		PublicIPAllocationMethod: network.IPAllocationMethodStatic,
		PublicIPAddressVersion:   network.IPVersionIPv4,
		Tags:                     f.tags(),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network %s: nat ip: %w", name, err)
	}
	nat, err := network.NewNatGateway(ctx, child(name, "nat"), &network.NatGatewayArgs{
		NatGatewayName:       pulumi.String(f.Names.Regional("ng")),
		ResourceGroupName:    f.ResourceGroupName,
		Location:             pulumi.String(f.Location),
		Sku:                  &network.NatGatewaySkuArgs{Name: network.NatGatewaySkuNameStandard},
		IdleTimeoutInMinutes: pulumi.Int(10),
		PublicIpAddresses:    network.SubResourceArray{&network.SubResourceArgs{Id: natIP.ID()}},
		Tags:                 f.tags(),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network %s: nat gateway: %w", name, err)
	}

	// Firewall mode lets the Databricks subnets through the storage and Key Vault firewalls.
	var serviceEndpoints network.ServiceEndpointPropertiesFormatArray
	if args.Mode == NetworkModeFirewall {
		serviceEndpoints = network.ServiceEndpointPropertiesFormatArray{
			&network.ServiceEndpointPropertiesFormatArgs{Service: pulumi.String("Microsoft.Storage")},
			&network.ServiceEndpointPropertiesFormatArgs{Service: pulumi.String("Microsoft.KeyVault")},
		}
	}
	databricksDelegation := network.DelegationArray{&network.DelegationArgs{
		Name:        pulumi.String("databricks"),
		ServiceName: pulumi.String("Microsoft.Databricks/workspaces"),
	}}

	// Azure rejects concurrent writes to one VNet ("AnotherOperationInProgress"), so the subnets are
	// created one after another.
	databricksSubnet := func(key, subnetName, cidr string, opts ...pulumi.ResourceOption) (*network.Subnet, error) {
		sn, err := network.NewSubnet(ctx, child(name, key), &network.SubnetArgs{
			SubnetName:           pulumi.String(subnetName),
			ResourceGroupName:    f.ResourceGroupName,
			VirtualNetworkName:   vnet.Name,
			AddressPrefix:        pulumi.String(cidr),
			NetworkSecurityGroup: &network.NetworkSecurityGroupTypeArgs{Id: databricksNsg.ID()},
			NatGateway:           &network.SubResourceArgs{Id: nat.ID()},
			Delegations:          databricksDelegation,
			ServiceEndpoints:     serviceEndpoints,
		}, append([]pulumi.ResourceOption{parent}, opts...)...)
		if err != nil {
			return nil, fmt.Errorf("network %s: %s subnet: %w", name, key, err)
		}
		return sn, nil
	}
	host, err := databricksSubnet("databricks-host", SubnetDatabricksHost, hostCIDR)
	if err != nil {
		return nil, err
	}
	container, err := databricksSubnet("databricks-container", SubnetDatabricksContainer, containerCIDR, pulumi.DependsOn([]pulumi.Resource{host}))
	if err != nil {
		return nil, err
	}
	endpoints, err := network.NewSubnet(ctx, child(name, "private-endpoints"), &network.SubnetArgs{
		SubnetName:           pulumi.String(SubnetPrivateEndpoints),
		ResourceGroupName:    f.ResourceGroupName,
		VirtualNetworkName:   vnet.Name,
		AddressPrefix:        pulumi.String(endpointsCIDR),
		NetworkSecurityGroup: &network.NetworkSecurityGroupTypeArgs{Id: endpointsNsg.ID()},
		// Enabled makes the subnet's NSG apply to the private endpoints themselves.
		PrivateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPoliciesEnabled,
	}, parent, pulumi.DependsOn([]pulumi.Resource{container}))
	if err != nil {
		return nil, fmt.Errorf("network %s: private endpoint subnet: %w", name, err)
	}

	if args.Mode == NetworkModePrivate {
		for _, zone := range PrivateZones {
			key := zoneKeys[zone]
			z, err := network.NewPrivateZone(ctx, child(name, "zone-"+key), &network.PrivateZoneArgs{
				PrivateZoneName:   pulumi.String(string(zone)),
				ResourceGroupName: f.ResourceGroupName,
				Location:          pulumi.String("global"),
				Tags:              f.tags(),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("network %s: zone %s: %w", name, zone, err)
			}
			if _, err := network.NewVirtualNetworkLink(ctx, child(name, "zone-"+key+"-link"), &network.VirtualNetworkLinkArgs{
				VirtualNetworkLinkName: pulumi.String(f.Names.Regional("vnet")),
				PrivateZoneName:        z.Name,
				ResourceGroupName:      f.ResourceGroupName,
				Location:               pulumi.String("global"),
				VirtualNetwork:         &network.SubResourceArgs{Id: vnet.ID()},
				RegistrationEnabled:    pulumi.Bool(false),
				Tags:                   f.tags(),
			}, parent); err != nil {
				return nil, fmt.Errorf("network %s: zone link %s: %w", name, zone, err)
			}
			n.Zones[zone] = z.ID().ToStringOutput()
		}
	}

	n.VnetID = vnet.ID().ToStringOutput()
	n.VnetName = vnet.Name
	n.DatabricksHostSubnetName = host.Name.Elem()
	n.DatabricksHostSubnetID = host.ID().ToStringOutput()
	n.DatabricksContainerSubnetName = container.Name.Elem()
	n.DatabricksContainerSubnetID = container.ID().ToStringOutput()
	n.PrivateEndpointSubnetID = endpoints.ID().ToStringOutput()
	n.NatPublicIPID = natIP.ID().ToStringOutput()

	outputs := pulumi.Map{
		"vnetId":                      n.VnetID,
		"databricksHostSubnetId":      n.DatabricksHostSubnetID,
		"databricksContainerSubnetId": n.DatabricksContainerSubnetID,
		"privateEndpointSubnetId":     n.PrivateEndpointSubnetID,
	}
	if err := ctx.RegisterResourceOutputs(n, outputs); err != nil {
		return nil, err
	}
	return n, nil
}

// nsgRule is one explicit security rule.
type nsgRule struct {
	name        string
	priority    int
	direction   network.SecurityRuleDirection
	access      network.SecurityRuleAccess
	source      string
	destination string
	description string
}

// Databricks adds its own worker-to-worker and control-plane rules to this NSG (priorities 100–200,
// managed by its network intent policy). Our rules sit just above the Azure defaults and deny whatever
// those rules do not allow; with secure cluster connectivity nothing needs inbound from the Internet.
var databricksNSGRules = []nsgRule{
	{"deny-internet-inbound", 4000, network.SecurityRuleDirectionInbound, network.SecurityRuleAccessDeny, "Internet", "*",
		"No inbound from the Internet: clusters have no public IP (secure cluster connectivity)"},
	{"deny-all-inbound", 4096, network.SecurityRuleDirectionInbound, network.SecurityRuleAccessDeny, "*", "*",
		"Deny by default; Databricks' own worker-to-worker rules have lower priority numbers"},
}

var privateEndpointNSGRules = []nsgRule{
	{"allow-vnet-inbound", 1000, network.SecurityRuleDirectionInbound, network.SecurityRuleAccessAllow, "VirtualNetwork", "VirtualNetwork",
		"Private endpoints are reached from inside the VNet only"},
	{"deny-all-inbound", 4096, network.SecurityRuleDirectionInbound, network.SecurityRuleAccessDeny, "*", "*",
		"Deny by default"},
	{"deny-all-outbound", 4096, network.SecurityRuleDirectionOutbound, network.SecurityRuleAccessDeny, "*", "*",
		"Private endpoints never initiate connections"},
}

// newNSG creates an NSG and its rules as separate resources, so rules that Azure Databricks adds to
// the NSG are neither removed nor reported as drift.
func newNSG(ctx *pulumi.Context, component, key string, f Foundation, rules []nsgRule, opts ...pulumi.ResourceOption) (*network.NetworkSecurityGroup, error) {
	nsg, err := network.NewNetworkSecurityGroup(ctx, child(component, key), &network.NetworkSecurityGroupArgs{
		NetworkSecurityGroupName: pulumi.String(f.Names.Regional(key)),
		ResourceGroupName:        f.ResourceGroupName,
		Location:                 pulumi.String(f.Location),
		Tags:                     f.tags(),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("network %s: %s: %w", component, key, err)
	}
	for _, r := range rules {
		if _, err := network.NewSecurityRule(ctx, child(component, key+"-"+r.name), &network.SecurityRuleArgs{
			SecurityRuleName:         pulumi.String(r.name),
			NetworkSecurityGroupName: nsg.Name,
			ResourceGroupName:        f.ResourceGroupName,
			Priority:                 pulumi.Int(r.priority),
			Direction:                r.direction,
			Access:                   r.access,
			Protocol:                 network.SecurityRuleProtocolAsterisk,
			SourceAddressPrefix:      pulumi.String(r.source),
			SourcePortRange:          pulumi.String("*"),
			DestinationAddressPrefix: pulumi.String(r.destination),
			DestinationPortRange:     pulumi.String("*"),
			Description:              pulumi.String(r.description),
		}, opts...); err != nil {
			return nil, fmt.Errorf("network %s: %s rule %s: %w", component, key, r.name, err)
		}
	}
	return nsg, nil
}

// PrivateEndpointSpec describes a private endpoint to one sub-resource of a service.
type PrivateEndpointSpec struct {
	// Target is the resource id of the service (storage account, vault, workspace, …).
	Target pulumi.StringInput
	// GroupID is the private-link sub-resource: "blob", "dfs", "vault", "Sql", "SqlOnDemand", "Dev",
	// "databricks_ui_api", "dataFactory".
	GroupID string
	Zone    DNSZone
}

// PrivateEndpoint is a private endpoint and its DNS registration; a resource that must reach the
// service privately depends on both (Resources).
type PrivateEndpoint struct {
	Endpoint *network.PrivateEndpoint
	DNS      *network.PrivateDnsZoneGroup
}

// Resources are what a dependent resource waits for.
func (p *PrivateEndpoint) Resources() []pulumi.Resource { return []pulumi.Resource{p.Endpoint, p.DNS} }

// NewPrivateEndpoint creates a private endpoint in the endpoints subnet and registers it in the
// matching private DNS zone. name must carry the calling component's prefix; pass pulumi.Parent(caller).
func (n *Network) NewPrivateEndpoint(ctx *pulumi.Context, name string, spec PrivateEndpointSpec, opts ...pulumi.ResourceOption) (*PrivateEndpoint, error) {
	if n.Mode != NetworkModePrivate {
		return nil, fmt.Errorf("private endpoint %s: the network is in %q mode; private endpoints need %q", name, n.Mode, NetworkModePrivate)
	}
	zoneID, ok := n.Zones[spec.Zone]
	if !ok {
		return nil, fmt.Errorf("private endpoint %s: no private DNS zone %q in the network", name, spec.Zone)
	}
	f := n.foundation
	peName := f.Names.Regional("pe") + "-" + name
	pe, err := network.NewPrivateEndpoint(ctx, name, &network.PrivateEndpointArgs{
		PrivateEndpointName: pulumi.String(peName),
		ResourceGroupName:   f.ResourceGroupName,
		Location:            pulumi.String(f.Location),
		Subnet:              &network.SubnetTypeArgs{Id: n.PrivateEndpointSubnetID},
		PrivateLinkServiceConnections: network.PrivateLinkServiceConnectionArray{&network.PrivateLinkServiceConnectionArgs{
			Name:                 pulumi.String(peName),
			PrivateLinkServiceId: spec.Target,
			GroupIds:             pulumi.StringArray{pulumi.String(spec.GroupID)},
		}},
		Tags: f.tags(),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("private endpoint %s: %w", name, err)
	}
	dns, err := network.NewPrivateDnsZoneGroup(ctx, name+"-dns", &network.PrivateDnsZoneGroupArgs{
		PrivateDnsZoneGroupName: pulumi.String("default"),
		PrivateEndpointName:     pe.Name,
		ResourceGroupName:       f.ResourceGroupName,
		PrivateDnsZoneConfigs: network.PrivateDnsZoneConfigArray{&network.PrivateDnsZoneConfigArgs{
			Name:             pulumi.String(zoneKeys[spec.Zone]),
			PrivateDnsZoneId: zoneID,
		}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("private endpoint %s: dns zone group: %w", name, err)
	}
	return &PrivateEndpoint{Endpoint: pe, DNS: dns}, nil
}
