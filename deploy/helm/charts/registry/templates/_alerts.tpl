{{/* The registry's alerts (a YAML list; starling.prometheusRule adds the availability alerts and
runbook links). */}}
{{- define "registry.alerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
## absent(): with every replica down there is no registry_leader series to be 0.
- alert: StarlingRegistryNoLeader
  expr: max by (namespace, service) (registry_leader{ {{- $sel -}} }) < 1 or absent(registry_leader{ {{- $sel -}} })
  for: 2m
  labels: { severity: critical }
  annotations:
    summary: No registry replica holds the leader lock; swarms and the network map are frozen.
- alert: StarlingNodesFailingReachability
  expr: sum by (namespace, service) (rate(registry_reachability_tests_total{ {{- $sel -}}, result="failed"}[10m])) / sum by (namespace, service) (rate(registry_reachability_tests_total{ {{- $sel -}} }[10m])) > 0.2
  for: 15m
  labels: { severity: warning }
  annotations:
    summary: More than 20% of the registry's reachability tests fail.
{{- end -}}
