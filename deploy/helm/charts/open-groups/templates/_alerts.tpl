{{/* The community server's alerts (a YAML list; starling.prometheusRule adds the availability
alerts and runbook links). */}}
{{- define "open-groups.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingCommunityServerErrors
  expr: sum by (namespace, service) (rate(http_requests_total{ {{- $sel -}}, status=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total{ {{- $sel -}} }[5m])) > 0.02
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: More than 2% of community server requests fail with 5xx.
{{- end -}}
