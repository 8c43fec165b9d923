{{/*
Small objects every chart may render: ServiceAccount, Service, HorizontalPodAutoscaler,
PodDisruptionBudget, Ingress. Each is behind its own flag in the chart's values.
*/}}
{{- define "starling.serviceAccount" -}}
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "starling.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
{{- end }}
{{- end -}}

{{/*
The ops Service: only the cluster-only ops port (/healthz, /readyz, /metrics) of every pod of the
chart, headless, for the ServiceMonitor. The public Services never carry that port.
*/}}
{{- define "starling.opsService" -}}
{{ include "starling.service" (dict "ctx" . "name" (printf "%s-ops" (include "starling.fullname" .)) "ports" (list "ops") "headless" true "metrics" true) }}
{{- end -}}

{{/*
A Service. Call with (dict "ctx" . "name" <name> "selector" (dict extra labels) "service" <a values
block: type, annotations, loadBalancerIP, externalTrafficPolicy, ...> "ports" (list "http" "grpc")
"headless" bool "metrics" bool (the one Service a ServiceMonitor selects)).
*/}}
{{- define "starling.service" -}}
{{- $svc := default dict (get . "service") -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
    {{- with (get . "selector") }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if get . "metrics" }}
    starling.io/metrics: "true"
    {{- end }}
  {{- with (get $svc "annotations") }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if get . "headless" }}
  type: ClusterIP
  clusterIP: None
  publishNotReadyAddresses: true
  {{- else }}
  type: {{ default "ClusterIP" (get $svc "type") }}
  {{- with (get $svc "loadBalancerIP") }}
  loadBalancerIP: {{ . }}
  {{- end }}
  {{- with (get $svc "loadBalancerSourceRanges") }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if and (has (default "ClusterIP" (get $svc "type")) (list "LoadBalancer" "NodePort")) (get $svc "externalTrafficPolicy") }}
  externalTrafficPolicy: {{ (get $svc "externalTrafficPolicy") }}
  {{- end }}
  {{- end }}
  ports:
    {{- range $name := .ports }}
    - name: {{ $name }}
      port: {{ index $.ctx.Values.ports $name }}
      targetPort: {{ $name }}
      protocol: TCP
      {{- if $name | eq "grpc" }}
      appProtocol: grpc
      {{- end }}
    {{- end }}
  selector:
    {{- include "starling.selectorLabels" .ctx | nindent 4 }}
    {{- with (get . "selector") }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* autoscaling/v2 HPA on CPU (and memory when set). Call with (dict "ctx" . "name" <target> "autoscaling" <values block>). */}}
{{- define "starling.hpa" -}}
{{- $a := .autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ default "Deployment" (get . "kind") }}
    name: {{ .name }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    {{- with (get $a "targetCPUUtilizationPercentage") }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with (get $a "targetMemoryUtilizationPercentage") }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  {{- with (get $a "behavior") }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* PodDisruptionBudget. Call with (dict "ctx" . "name" <name> "selector" (dict extra labels) "pdb" <values block>). */}}
{{- define "starling.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
spec:
  {{- if hasKey .pdb "minAvailable" }}
  minAvailable: {{ get .pdb "minAvailable" }}
  {{- else }}
  maxUnavailable: {{ default 1 (get .pdb "maxUnavailable") }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "starling.selectorLabels" .ctx | nindent 6 }}
      {{- with (get . "selector") }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
{{- end -}}

{{/* Ingress to the chart's HTTP port; call with the chart context. */}}
{{- define "starling.ingress" -}}
{{- if .Values.ingress.enabled }}
{{- $svc := include "starling.fullname" . }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $svc }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "starling.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with .Values.ingress.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range (default (list (dict "path" "/" "pathType" "Prefix")) (get . "paths")) }}
          - path: {{ .path }}
            pathType: {{ default "Prefix" (get . "pathType") }}
            backend:
              service:
                name: {{ $svc }}
                port:
                  name: http
          {{- end }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* The objects every chart renders the same way; each chart has a one-line templates/common.yaml. */}}
{{- define "starling.commonObjects" -}}
{{ include "starling.serviceAccount" . }}
---
{{ include "starling.envSecret" . }}
{{- if .Values.metrics.enabled }}
---
{{ include "starling.opsService" . }}
{{- end }}
---
{{ include "starling.serviceMonitor" . }}
---
{{ include "starling.prometheusRule" . }}
{{ include "starling.dashboards" . }}
{{- end -}}

{{/* A PersistentVolumeClaim from a persistence block. Call with (dict "ctx" . "name" <name> "persistence" <values block>). */}}
{{- define "starling.pvc" -}}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
    {{- with (get .persistence "annotations") }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  accessModes:
    {{- toYaml .persistence.accessModes | nindent 4 }}
  {{- with (get .persistence "storageClass") }}
  storageClassName: {{ . | quote }}
  {{- end }}
  resources:
    requests:
      storage: {{ .persistence.size | quote }}
{{- end -}}
