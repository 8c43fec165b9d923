{{/*
NetworkPolicy: ingress is denied except the rules the chart passes (who may call this service)
plus Prometheus on the metrics port (the cluster-only ops port of a Starling service: nothing else
may reach it) and the operator's extraIngress. Egress is open unless
networkPolicy.restrictEgress, then DNS, other Starling pods and extraEgress (add your PostgreSQL and
Redis addresses there). A chart that passes "egress" always restricts egress, to those rules plus
extraEgress.
Call with (dict "ctx" . "name" <name> "selector" (dict extra labels) "ingress" "<yaml list of rules>"
["egress" "<yaml list of rules>"]).
*/}}
{{- define "starling.networkPolicy" -}}
{{- $np := .ctx.Values.networkPolicy -}}
{{- $egress := get . "egress" -}}
{{- $restrict := or (get $np "restrictEgress") $egress -}}
{{- if $np.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "starling.selectorLabels" .ctx | nindent 6 }}
      {{- with (get . "selector") }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
  policyTypes:
    - Ingress
    {{- if $restrict }}
    - Egress
    {{- end }}
  ingress:
    {{- with (get . "ingress") }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- if .ctx.Values.metrics.enabled }}
    - from:
        - namespaceSelector:
            {{- toYaml $np.metrics.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.metrics.podSelector | nindent 12 }}
      ports:
        - port: {{ include "starling.metricsPort" .ctx }}
          protocol: TCP
    {{- end }}
    {{- with $np.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if $restrict }}
  egress:
    {{- if $egress }}
    {{- $egress | nindent 4 }}
    {{- else }}
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/part-of: starling
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* One ingress rule: from the given Starling components (same namespace) to the given ports.
Call with (dict "components" (list "entry-relay") "ports" (list "grpc")). */}}
{{- define "starling.fromComponents" -}}
- from:
    {{- range .components }}
    - podSelector:
        matchLabels:
          {{- include "starling.peerLabels" . | nindent 10 }}
    {{- end }}
  ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
