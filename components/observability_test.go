package components

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func TestObservabilityValidatesArgs(t *testing.T) {
	good := ObservabilityArgs{LogRetentionDays: 30, AlertEmails: []string{"ops@example.com"}, BudgetAmount: 100, BudgetStartDate: "2026-12-01"}
	cases := map[string]func(a *ObservabilityArgs){
		"log retention 7 days is outside 30..730": func(a *ObservabilityArgs) { a.LogRetentionDays = 7 },
		"at least one alert e-mail":               func(a *ObservabilityArgs) { a.AlertEmails = nil },
		"budget amount must be positive":          func(a *ObservabilityArgs) { a.BudgetAmount = 0 },
		"must be the first of a month":            func(a *ObservabilityArgs) { a.BudgetStartDate = "2026-12-02" },
	}
	for want, mutate := range cases {
		t.Run(want, func(t *testing.T) {
			args := good
			args.Foundation = testFoundation(t)
			mutate(&args)
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				_, err := NewObservability(ctx, "obs", &args)
				return err
			})
			require.ErrorContains(t, err, want)
			require.Empty(t, types(rec))
		})
	}
}

func TestAddDiagnosticsNeedsASelection(t *testing.T) {
	_, err := runMocked(t, func(ctx *pulumi.Context) error {
		o, err := NewObservability(ctx, "obs", &ObservabilityArgs{Foundation: testFoundation(t), LogRetentionDays: 30,
			AlertEmails: []string{"ops@example.com"}, BudgetAmount: 1, BudgetStartDate: "2026-12-01"})
		if err != nil {
			return err
		}
		_, err = o.AddDiagnostics(ctx, "obs-x", pulumi.String("/x"), DiagnosticSpec{})
		return err
	})
	require.ErrorContains(t, err, "nothing selected")
}
