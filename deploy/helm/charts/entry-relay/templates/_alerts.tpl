{{/* The relays' alerts (a YAML list; starling.prometheusRule adds the availability alerts and
runbook links). */}}
{{- define "entry-relay.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingRelayRejecting
  expr: sum by (namespace, service) (rate(relay_admission_rejections_total{ {{- $sel -}} }[5m])) / sum by (namespace, service) (rate(relay_onion_requests_total{ {{- $sel -}} }[5m])) > 0.05
  for: 10m
  labels: { severity: warning }
  annotations:
    summary: Relays refuse more than 5% of onion requests (overload or rate limits).
{{- end -}}
