{{/*
Prometheus operator ServiceMonitor (selects the chart's Service labelled starling.io/metrics) and
Grafana dashboards: one ConfigMap per file in the chart's dashboards/ folder, labelled for the
Grafana sidecar (`grafana_dashboard: "1"` by default).
*/}}
{{- define "starling.serviceMonitor" -}}
{{- $sm := .Values.metrics.serviceMonitor -}}
{{- if and .Values.metrics.enabled (or $sm.enabled (get (default dict (get .Values.global "serviceMonitor")) "enabled")) }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "starling.fullname" . }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" . "namespace" $sm.namespace) }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
    {{- with merge (dict) (default dict $sm.additionalLabels) (default dict (get (default dict (get .Values.global "serviceMonitor")) "additionalLabels")) }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  ## job="<service>" rather than the Kubernetes Service name.
  jobLabel: app.kubernetes.io/component
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  selector:
    matchLabels:
      {{- include "starling.selectorLabels" . | nindent 6 }}
      starling.io/metrics: "true"
  endpoints:
    - port: {{ include "starling.metricsPort" . }}
      path: {{ .Values.metrics.path }}
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
      ## The operator labels series with the Kubernetes Service name (service="demo-registry-ops");
      ## dashboards and alerts select by the Starling service, which is the component label. The
      ## services do not label their series themselves, so no honorLabels.
      relabelings:
        - action: replace
          sourceLabels: [__meta_kubernetes_service_label_app_kubernetes_io_component]
          targetLabel: service
        {{- with $sm.relabelings }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}
{{- end -}}

{{/* The container port Prometheus scrapes: the cluster-only ops port of a Starling service, or
the chart's metrics.portName (coturn's exporter). */}}
{{- define "starling.metricsPort" -}}
{{- default "ops" (get .Values.metrics "portName") -}}
{{- end -}}

{{/*
PrometheusRule: the alerts every service has (availability, below), the chart's own
("<chart>.alerts" in its templates/_alerts.tpl, a YAML list), minus metrics.prometheusRule.disabled,
each with a runbook_url to its section of deploy/helm/README.md; then the operator's extraRules.
Rules select this release's namespace, so that two installs watched by one Prometheus alert apart.
*/}}
{{- define "starling.prometheusRule" -}}
{{- $pr := .Values.metrics.prometheusRule -}}
{{- if and .Values.metrics.enabled (or $pr.enabled (get (default dict (get .Values.global "prometheusRule")) "enabled")) }}
{{- $rules := list -}}
{{- $own := printf "%s.alerts" .Chart.Name -}}
{{- range $rule := concat (include "starling.availabilityAlerts" . | fromYamlArray) (include $own . | fromYamlArray) -}}
{{- if not (has $rule.alert $pr.disabled) -}}
{{- $annotations := set (default dict (get $rule "annotations")) "runbook_url" (printf "%s#%s" $pr.runbookBaseUrl (lower $rule.alert)) -}}
{{- $rules = append $rules (set $rule "annotations" $annotations) -}}
{{- end -}}
{{- end }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "starling.fullname" . }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" . "namespace" $pr.namespace) }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
    {{- with $pr.additionalLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ include "starling.fullname" . }}
      rules:
        {{- toYaml $rules | nindent 8 }}
    {{- with $pr.extraRules }}
    - name: {{ include "starling.fullname" . }}-extra
      rules:
        {{- toYaml . | nindent 8 }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* PromQL matchers for this release's series of this service: namespace and service labels. */}}
{{- define "starling.alertSelector" -}}
namespace="{{ .Release.Namespace }}", service="{{ .Chart.Name }}"
{{- end -}}

{{/*
Alerts every Starling service has. `up` is 0 for a target Prometheus cannot scrape (pod crashing,
ops port blocked); absent() covers the case with no target at all (no pod, or the ServiceMonitor
selects nothing), where `up` has no series to be 0.
*/}}
{{- define "starling.availabilityAlerts" -}}
{{- $sel := include "starling.alertSelector" . -}}
- alert: StarlingTargetDown
  expr: count by (namespace, service) (up{ {{- $sel -}} } == 0) > 0
  for: 5m
  labels: { severity: warning }
  annotations:
    summary: {{ printf "%s: {{ $value }} pod(s) cannot be scraped on the ops port." .Chart.Name | quote }}
- alert: StarlingServiceDown
  expr: max by (namespace, service) (up{ {{- $sel -}} }) == 0
  for: 2m
  labels: { severity: critical }
  annotations:
    summary: {{ printf "%s: no pod answers on the ops port." .Chart.Name | quote }}
- alert: StarlingServiceAbsent
  expr: absent(up{ {{- $sel -}} })
  for: 5m
  labels: { severity: critical }
  annotations:
    summary: {{ printf "%s: Prometheus has no target for it (no pod, or nothing scraped)." .Chart.Name | quote }}
{{- end -}}

{{/* Volume alerts for PersistentVolumeClaims whose names match a regex, from the kubelet's volume
statistics (kube-prometheus-stack scrapes them). Call with (dict "ctx" . "claims" "<regex>"). */}}
{{- define "starling.volumeAlerts" -}}
{{- $sel := printf "namespace=\"%s\", persistentvolumeclaim=~\"%s\"" .ctx.Release.Namespace .claims -}}
- alert: StarlingVolumeFillingUp
  expr: (kubelet_volume_stats_available_bytes{ {{- $sel -}} } / kubelet_volume_stats_capacity_bytes{ {{- $sel -}} } < 0.25) and predict_linear(kubelet_volume_stats_available_bytes{ {{- $sel -}} }[6h], 24 * 3600) < 0
  for: 1h
  labels: { severity: warning }
  annotations:
    summary: "Volume {{`{{ $labels.persistentvolumeclaim }}`}} will be full within a day at the current rate."
- alert: StarlingVolumeAlmostFull
  expr: kubelet_volume_stats_available_bytes{ {{- $sel -}} } / kubelet_volume_stats_capacity_bytes{ {{- $sel -}} } < 0.1
  for: 5m
  labels: { severity: critical }
  annotations:
    summary: "Volume {{`{{ $labels.persistentvolumeclaim }}`}} has less than 10% space left."
{{- end -}}

{{- define "starling.dashboards" -}}
{{- $d := .Values.dashboards -}}
{{- if or $d.enabled (get (default dict (get .Values.global "dashboards")) "enabled") }}
{{- range $path, $_ := .Files.Glob "dashboards/*.json" }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-dashboard-%s" (include "starling.fullname" $) (base $path | trimSuffix ".json") | trunc 63 | trimSuffix "-" }}
  namespace: {{ include "starling.namespaceOr" (dict "ctx" $ "namespace" $d.namespace) }}
  labels:
    {{- include "starling.labels" $ | nindent 4 }}
    {{- toYaml $d.labels | nindent 4 }}
  {{- with $d.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  {{ base $path }}: |-
    {{- $.Files.Get $path | nindent 4 }}
{{- end }}
{{- end }}
{{- end -}}
