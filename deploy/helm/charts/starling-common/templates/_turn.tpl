{{/*
The TURN server for calls (chart `turn`, installed by the umbrella when global.turn.enabled) and the
file server, which hands clients time-limited credentials for it, share `global.turn`: where
clients reach it and the Secret with the coturn static-auth-secret both sides derive credentials
from (TURN REST convention). Helm shows a subchart only its own block and `global`, hence global.
*/}}

{{/* The Secret holding the shared secret: global.turn.existingSecret, else the one the turn chart
generates for this release. */}}
{{- define "starling.turnSecretName" -}}
{{- default (printf "%s-turn-secret" .Release.Name) .Values.global.turn.existingSecret -}}
{{- end -}}

{{/* The URIs clients are given, comma-separated: UDP, and TCP for networks that block UDP. */}}
{{- define "starling.turnUris" -}}
{{- $t := .Values.global.turn -}}
{{- if not $t.host -}}
{{- fail "global.turn.host is empty: set the name or address clients reach the TURN Service at (see deploy/helm/README.md, Calls)" -}}
{{- end -}}
{{- $host := ternary (printf "[%s]" $t.host) $t.host (contains ":" $t.host) -}}
{{- $uris := list (printf "turn:%s:%v?transport=udp" $host $t.port) -}}
{{- if $t.tcp -}}
{{- $uris = append $uris (printf "turn:%s:%v?transport=tcp" $host $t.port) -}}
{{- end -}}
{{- join "," $uris -}}
{{- end -}}
