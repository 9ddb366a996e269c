package policy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

const (
	tNSG          = "azure-native:network:NetworkSecurityGroup"
	tSecurityRule = "azure-native:network:SecurityRule"
	tSubnet       = "azure-native:network:Subnet"
)

func init() {
	register(
		Rule{"CKV_AZURE_9", "checkov", "No NSG rule allows RDP (3389) from the Internet", internetInbound(3389)},
		Rule{"CKV_AZURE_10", "checkov", "No NSG rule allows SSH (22) from the Internet", internetInbound(22)},
		Rule{"CKV_AZURE_160", "checkov", "No NSG rule allows HTTP (80) from the Internet", internetInbound(80)},
		Rule{"CA.Network.DenyInboundByDefault", "platform", "Every NSG denies inbound explicitly and allows nothing from the Internet",
			func(inv *inventory.Inventory) (bool, []string) {
				nsgs := inv.OfType(tNSG)
				var f []string
				for _, nsg := range nsgs {
					name := nsg.InString("networkSecurityGroupName")
					denyAll := false
					for _, r := range rulesOf(inv, name) {
						if r.InString("direction") != "Inbound" {
							continue
						}
						src := r.InString("sourceAddressPrefix")
						if r.InString("access") == "Deny" && (src == "*" || src == "0.0.0.0/0") && r.InString("destinationPortRange") == "*" {
							denyAll = true
						}
						if r.InString("access") == "Allow" && fromInternet(r) {
							f = append(f, fmt.Sprintf("%s: rule %s allows inbound from %s", inventory.DisplayName(nsg), r.InString("securityRuleName"), r.InString("sourceAddressPrefix")))
						}
					}
					if !denyAll {
						f = append(f, fmt.Sprintf("%s: no explicit deny-all inbound rule", inventory.DisplayName(nsg)))
					}
				}
				return len(nsgs) > 0, f
			}},
		Rule{"CKV2_AZURE_31", "checkov", "Every subnet has a network security group", eachOfType(tSubnet,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				if r.InString("networkSecurityGroup.id") == "" {
					return []string{inventory.DisplayName(r) + ": no NSG"}
				}
				return nil
			})},
	)
}

func rulesOf(inv *inventory.Inventory, nsgName string) []mocks.Resource {
	var out []mocks.Resource
	for _, r := range inv.OfType(tSecurityRule) {
		if r.InString("networkSecurityGroupName") == nsgName {
			out = append(out, r)
		}
	}
	return out
}

func isAnySource(r mocks.Resource) bool {
	s := r.InString("sourceAddressPrefix")
	return s == "*" || s == "0.0.0.0/0" || s == "Internet"
}

func fromInternet(r mocks.Resource) bool {
	if isAnySource(r) {
		return true
	}
	prefixes, _ := r.In("sourceAddressPrefixes").([]any)
	for _, p := range prefixes {
		if s, _ := p.(string); s == "*" || s == "0.0.0.0/0" || s == "Internet" {
			return true
		}
	}
	return false
}

// internetInbound fails when an inbound Allow rule from the Internet covers port.
func internetInbound(port int) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		rules := inv.OfType(tSecurityRule)
		var f []string
		for _, r := range rules {
			if r.InString("direction") == "Inbound" && r.InString("access") == "Allow" && fromInternet(r) && coversPort(r, port) {
				f = append(f, fmt.Sprintf("%s: allows port %d from the Internet", inventory.DisplayName(r), port))
			}
		}
		return len(inv.OfType(tNSG)) > 0, f
	}
}

func coversPort(r mocks.Resource, port int) bool {
	ranges := []string{r.InString("destinationPortRange")}
	if more, ok := r.In("destinationPortRanges").([]any); ok {
		for _, m := range more {
			if s, ok := m.(string); ok {
				ranges = append(ranges, s)
			}
		}
	}
	for _, pr := range ranges {
		if pr == "*" {
			return true
		}
		lo, hi, isRange := strings.Cut(pr, "-")
		a, errA := strconv.Atoi(lo)
		b := a
		if isRange {
			b, _ = strconv.Atoi(hi)
		}
		if errA == nil && a <= port && port <= b {
			return true
		}
	}
	return false
}
