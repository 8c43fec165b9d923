{{/*
One image for every service (the repository's Dockerfile); the chart picks the entrypoint.
global.imageRegistry overrides image.registry; a digest wins over the tag.
*/}}
{{- define "starling.image" -}}
{{- $registry := .Values.image.registry -}}
{{- if and .Values.global .Values.global.imageRegistry -}}
{{- $registry = .Values.global.imageRegistry -}}
{{- end -}}
{{- $repo := ternary (printf "%s/%s" $registry .Values.image.repository) .Values.image.repository (ne (toString $registry) "") -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{- define "starling.imagePullSecrets" -}}
{{- $secrets := concat (default list .Values.imagePullSecrets) (default list .Values.global.imagePullSecrets) | uniq -}}
{{- with $secrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}
