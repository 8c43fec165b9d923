{{/*
The container and pod spec shared by every workload (Deployment or StatefulSet).
Call with (dict "ctx" . "args" (list "services/x/dist/main.js") "env" "<yaml list>" "volumeMounts" "<yaml list>" "volumes" "<yaml list>"),
or with "container" "<yaml list>" for a container of the chart's own.
Hardened by default: the securityContext values of each chart follow Pod Security "restricted";
the root filesystem is read-only, so /tmp is an emptyDir.
*/}}
{{- define "starling.container" -}}
{{- $v := .ctx.Values -}}
- name: {{ .ctx.Chart.Name }}
  image: {{ include "starling.image" .ctx }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  args:
    {{- toYaml .args | nindent 4 }}
  ports:
    {{- range $name, $port := $v.ports }}
    - name: {{ $name }}
      containerPort: {{ $port }}
      protocol: TCP
    {{- end }}
  env:
    {{- include "starling.commonEnv" .ctx | nindent 4 }}
    {{- with (get . "env") }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- if or $v.envFrom $v.existingEnvSecret }}
  envFrom:
    {{- with $v.existingEnvSecret }}
    - secretRef:
        name: {{ . }}
    {{- end }}
    {{- with $v.envFrom }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  {{- include "starling.probes" .ctx | nindent 2 }}
  {{- with $v.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.containerSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with (get . "volumeMounts") }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with $v.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* Probes on the cluster-only ops port: startup and liveness on /healthz (event loop alive,
never the database), readiness on /readyz (dependencies reachable; false from SIGTERM on). Each can
be switched off or replaced. A probe without a path connects to its `port` (a named container
port) over TCP instead. The kubelet reaches the ops port whatever the NetworkPolicy says
(traffic from the pod's own node is always allowed). */}}
{{- define "starling.probes" -}}
{{- range $kind := list "startup" "readiness" "liveness" }}
{{- $p := index $.Values.probes $kind }}
{{- if $p.enabled }}
{{ $kind }}Probe:
  {{- if get $p "custom" }}
  {{- toYaml (get $p "custom") | nindent 2 }}
  {{- else }}
  {{- if get $p "path" }}
  httpGet:
    path: {{ $p.path }}
    port: ops
  {{- else }}
  tcpSocket:
    port: {{ required (printf "probes.%s needs a path or a port" $kind) (get $p "port") }}
  {{- end }}
  {{- with (omit $p "enabled" "path" "port" "custom") }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Graceful shutdown: on SIGTERM a service fails /readyz, keeps serving for shutdown.drainDelaySeconds
(<PREFIX>_DRAIN_DELAY) while Endpoints, kube-proxy and load balancers drop the pod, then closes
within shutdown.closeSeconds. The kubelet kills at terminationGracePeriodSeconds, so that must be
longer than both together. No preStop hook: the service drains by itself from the SIGTERM on, and
a preStop sleep would only add its time before the SIGTERM (the same wait, counted twice).
Charts without a shutdown block (coturn) use terminationGracePeriodSeconds as it is.
*/}}
{{- define "starling.terminationGracePeriod" -}}
{{- $grace := int .Values.terminationGracePeriodSeconds -}}
{{- with (get .Values "shutdown") -}}
{{- $needed := add .drainDelaySeconds .closeSeconds -}}
{{- if le $grace (int $needed) -}}
{{- fail (printf "%s: terminationGracePeriodSeconds (%d) must be longer than shutdown.drainDelaySeconds + shutdown.closeSeconds (%d): raise terminationGracePeriodSeconds" $.Chart.Name $grace (int $needed)) -}}
{{- end -}}
{{- end -}}
{{- $grace -}}
{{- end -}}

{{- define "starling.podSpec" -}}
{{- $v := .ctx.Values -}}
serviceAccountName: {{ include "starling.serviceAccountName" .ctx }}
automountServiceAccountToken: {{ $v.serviceAccount.automountServiceAccountToken }}
{{- include "starling.imagePullSecrets" .ctx }}
{{- with $v.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
terminationGracePeriodSeconds: {{ include "starling.terminationGracePeriod" .ctx }}
containers:
  {{- /* A chart running another program (coturn) passes its own container. */}}
  {{- if get . "container" }}
  {{- .container | nindent 2 }}
  {{- else }}
  {{- include "starling.container" . | nindent 2 }}
  {{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ $v.tmpSizeLimit }}
  {{- with (get . "volumes") }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- with $v.extraVolumes }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $v.affinity }}
affinity:
  {{- toYaml $v.affinity | nindent 2 }}
{{- else if $v.podAntiAffinityPreset }}
affinity:
  podAntiAffinity:
    {{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "starling.selectorLabels" .ctx | fromYaml)) }}
    {{- if eq $v.podAntiAffinityPreset "hard" }}
    requiredDuringSchedulingIgnoredDuringExecution:
      {{- toYaml (list $term) | nindent 6 }}
    {{- else }}
    preferredDuringSchedulingIgnoredDuringExecution:
      {{- toYaml (list (dict "weight" 100 "podAffinityTerm" $term)) | nindent 6 }}
    {{- end }}
{{- end }}
{{- with $v.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- tpl (toYaml .) $.ctx | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Pod template metadata: labels plus a checksum of the chart's env Secret so that a changed
connection URL rolls the pods. Call with (dict "ctx" . "labels" (dict ...)). */}}
{{- define "starling.podMetadata" -}}
labels:
  {{- include "starling.labels" .ctx | nindent 2 }}
  {{- with (get . "labels") }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- with .ctx.Values.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  checksum/env-secret: {{ include "starling.envSecret" .ctx | sha256sum }}
  {{- with .ctx.Values.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/*
A Deployment. Call with (dict "ctx" . "name" <name> "selector" (dict extra selector labels)
"replicas" <n or nil when an HPA owns it> + the container arguments of starling.container).
*/}}
{{- define "starling.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "starling.labels" .ctx | nindent 4 }}
    {{- with (get . "selector") }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if not (kindIs "invalid" (get . "replicas")) }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: {{ .ctx.Values.revisionHistoryLimit }}
  {{- with .ctx.Values.updateStrategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "starling.selectorLabels" .ctx | nindent 6 }}
      {{- with (get . "selector") }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
  template:
    metadata:
      {{- include "starling.podMetadata" (dict "ctx" .ctx "labels" (get . "selector")) | nindent 6 }}
    spec:
      {{- include "starling.podSpec" . | nindent 6 }}
{{- end -}}
