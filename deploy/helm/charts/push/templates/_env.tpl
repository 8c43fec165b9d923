{{/* Settings of services/push/src/config.ts that the chart owns. */}}
{{- define "push.env" -}}
{{- $p := .Values.push -}}
{{- $d := $p.delivery -}}
- name: PUSH_HOST
  value: "0.0.0.0"
- name: PUSH_OPS_PORT
  value: {{ .Values.ports.ops | quote }}
- name: PUSH_DRAIN_DELAY
  value: {{ printf "%ds" (int .Values.shutdown.drainDelaySeconds) | quote }}
- name: PUSH_PORT
  value: {{ .Values.ports.http | quote }}
- name: PUSH_DATA_DIR
  value: /data
{{- with .Values.database.schema }}
- name: PUSH_DB_SCHEMA
  value: {{ . | quote }}
{{- end }}
{{- with $p.publicUrl }}
- name: PUSH_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
- name: REGISTRY_GRPC_ADDRESS
  value: {{ include "starling.registryAddress" . | quote }}
{{- with .Values.global.registryPubkey }}
- name: REGISTRY_PUBKEY
  value: {{ . | quote }}
{{- end }}
- name: PUSH_RESCAN_INTERVAL
  value: {{ $p.rescanInterval | quote }}
- name: PUSH_DEDUP_WINDOW
  value: {{ $p.dedupWindow | quote }}
- name: PUSH_DELIVERY_CONCURRENCY
  value: {{ $d.concurrency | quote }}
- name: PUSH_DELIVERY_QUEUE
  value: {{ $d.queue | quote }}
- name: PUSH_DELIVERY_ATTEMPTS
  value: {{ $d.attempts | quote }}
- name: PUSH_DELIVERY_BACKOFF
  value: {{ $d.backoff | quote }}
- name: PUSH_DELIVERY_MAX_BACKOFF
  value: {{ $d.maxBackoff | quote }}
- name: PUSH_DELIVERY_TIMEOUT
  value: {{ $d.timeout | quote }}
{{ include "starling.keyEnv" (dict "ctx" . "keys" .Values.keys "name" (printf "%s-key" (include "starling.fullname" .)) "env" "PUSH_KEY") }}
{{ include "push.providerEnv" . }}
{{- end -}}

{{/* The delivery services: UnifiedPush by a switch, FCM and APNs when their credentials are given
(a Secret of the operator's, or the chart's "<fullname>-providers"). */}}
{{- define "push.providerEnv" -}}
{{- $p := .Values.providers -}}
{{- $own := printf "%s-providers" (include "starling.fullname" .) -}}
- name: PUSH_UNIFIEDPUSH
  value: {{ $p.unifiedPush.enabled | quote }}
- name: PUSH_UNIFIEDPUSH_ALLOW_PRIVATE
  value: {{ $p.unifiedPush.allowPrivateAddresses | quote }}
{{- if or $p.fcm.existingSecret $p.fcm.serviceAccountJson }}
- name: PUSH_FCM_SERVICE_ACCOUNT
  valueFrom:
    secretKeyRef:
      name: {{ default $own $p.fcm.existingSecret }}
      key: {{ $p.fcm.existingSecretKey }}
{{- with $p.fcm.endpoint }}
- name: PUSH_FCM_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if or $p.apns.existingSecret $p.apns.keyPem }}
{{- $a := $p.apns }}
- name: PUSH_APNS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ default $own $a.existingSecret }}
      key: {{ $a.existingSecretKey }}
- name: PUSH_APNS_KEY_ID
  value: {{ required "push: providers.apns needs keyId (the APNs key's 10-character id)" $a.keyId | quote }}
- name: PUSH_APNS_TEAM_ID
  value: {{ required "push: providers.apns needs teamId (the Apple developer team id)" $a.teamId | quote }}
- name: PUSH_APNS_TOPIC
  value: {{ required "push: providers.apns needs topic (the app's bundle id)" $a.topic | quote }}
- name: PUSH_APNS_ORIGIN
  value: {{ $a.origin | quote }}
{{- end }}
{{- if not (or $p.unifiedPush.enabled $p.fcm.existingSecret $p.fcm.serviceAccountJson $p.apns.existingSecret $p.apns.keyPem) }}
{{- fail "push: no delivery service: keep providers.unifiedPush.enabled or give FCM or APNs credentials" }}
{{- end }}
{{- end -}}

{{/* Replicas share the duplicate filter through Redis: refuse more than one replica (or an HPA)
without it, or a notice would reach a device once per replica. */}}
{{- define "push.requireRedisForReplicas" -}}
{{- $redis := include "starling.connection" (dict "ctx" . "key" "redis") | fromJson -}}
{{- if and (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) (not (get $redis "secret")) -}}
{{- fail "push: more than one replica needs Redis (set redis.url, redis.existingSecret or global.redis): replicas share the filter that sends each notice once" -}}
{{- end -}}
{{- end -}}
