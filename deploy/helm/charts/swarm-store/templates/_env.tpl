{{/* Settings of services/swarm-store/src/config.ts that the chart owns. */}}
{{- define "swarm-store.env" -}}
- name: POD_INDEX
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- /* The node listens on its pod IP and announces that address (host:grpc port) to the
registry, so relays and swarm peers reach this very pod. It re-announces after a reschedule;
the registry keys nodes by public key, not by address. */}}
- name: SWARM_STORE_HOST
  value: "$(POD_IP)"
- name: SWARM_STORE_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: SWARM_STORE_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: SWARM_STORE_HTTP_PORT
  value: {{ .Values.ports.http | quote }}
- name: SWARM_STORE_GRPC_PORT
  value: {{ .Values.ports.grpc | quote }}
- name: SWARM_STORE_DATA_DIR
  value: /data
- name: SWARM_STORE_DB_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
- name: SWARM_STORE_MAX_STORAGE
  value: {{ .Values.storage.maxStorage | quote }}
- name: SWARM_STORE_ACCOUNT_QUOTA
  value: {{ .Values.storage.accountQuota | quote }}
- name: REGISTRY_GRPC_ADDRESS
  value: {{ include "starling.registryAddress" . | quote }}
{{- with (include "swarm-store.publicAddresses" . | fromJson).addresses }}
{{- /* Every pod gets the whole list and publishes the entry of its ordinal. */}}
- name: SWARM_STORE_NODE_INDEX
  value: "$(POD_INDEX)"
- name: SWARM_STORE_PUBLIC_ADDRESSES
  value: {{ join "," . | quote }}
{{- end }}
{{- include "starling.nodeEnv" (dict "ctx" . "prefix" "SWARM_STORE" "relay" .Values.relay "tls" .Values.tls) }}
{{ include "starling.keyEnv" (dict "keys" .Values.rateLimitSecret "name" (printf "%s-rate-limit" (include "starling.fullname" .)) "env" "SWARM_STORE_RATE_LIMIT_SECRET") }}
{{- with .Values.database.schemaTemplate }}
- name: SWARM_STORE_DB_SCHEMA
  value: {{ . | quote }}
{{- end }}
{{- with .Values.database.perNode.urlTemplate }}
{{- if $.Values.database.perNode.passwordSecret }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.database.perNode.passwordSecret }}
      key: {{ $.Values.database.perNode.passwordSecretKey }}
{{- end }}
- name: DATABASE_URL
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
The public address of every node, host:port in ordinal order, as JSON {"addresses": [...]} (empty
without publicService.addresses). An entry without a port gets the per-pod Service's port; with a NodePort
Service each entry must name its node port (the chart gives that Service the same one).
*/}}
{{- define "swarm-store.publicAddresses" -}}
{{- $p := .Values.publicService -}}
{{- $out := list -}}
{{- with $p.addresses -}}
{{- if ne (len .) (int $.Values.replicaCount) -}}
{{- fail (printf "swarm-store: publicService.addresses has %d entries for %d nodes (replicaCount): give one per node, in pod ordinal order, or none" (len .) (int $.Values.replicaCount)) -}}
{{- end -}}
{{- range $i, $a := . -}}
{{- $hasPort := regexMatch ":[0-9]+$" $a -}}
{{- if and $p.enabled (eq $p.type "NodePort") (not $hasPort) -}}
{{- fail (printf "swarm-store: publicService.addresses[%d] (%s) needs its node port (host:port) with publicService.type NodePort" $i $a) -}}
{{- end -}}
{{- $out = append $out (ternary $a (printf "%s:%v" $a $p.port) (or $hasPort (not $p.enabled))) -}}
{{- end -}}
{{- end -}}
{{- dict "addresses" $out | toJson -}}
{{- end -}}
