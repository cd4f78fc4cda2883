{{/* Names and shared pieces of the Mastodon pods. */}}
{{- define "mastodon.fullname" -}}
{{- include "common.fullname" . -}}
{{- end }}

{{- define "mastodon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mastodon.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{- define "mastodon.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "mastodon.postgres.host" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql" .Release.Name -}}
{{- else -}}
{{- required "postgresql.postgresqlHostname is required when postgresql.enabled is false" .Values.postgresql.postgresqlHostname -}}
{{- end -}}
{{- end }}

{{- define "mastodon.redis.host" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s-redis-master" .Release.Name -}}
{{- else -}}
{{- required "redis.hostname is required when redis.enabled is false" .Values.redis.hostname -}}
{{- end -}}
{{- end }}

{{/* Every Mastodon container reads the same env ConfigMap and Secret. */}}
{{- define "mastodon.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "mastodon.fullname" . }}-env
  - secretRef:
      name: {{ include "mastodon.fullname" . }}
{{- end }}

{{- define "mastodon.checksums" -}}
checksum/config-secrets: {{ include (print $.Template.BasePath "/secrets.yaml") . | sha256sum | quote }}
checksum/config-configmap: {{ include (print $.Template.BasePath "/configmap-env.yaml") . | sha256sum | quote }}
{{- end }}

{{- define "mastodon.volumes" -}}
- name: assets
  persistentVolumeClaim:
    claimName: {{ include "mastodon.fullname" . }}-assets
- name: system
  persistentVolumeClaim:
    claimName: {{ include "mastodon.fullname" . }}-system
{{- end }}

{{- define "mastodon.volumeMounts" -}}
- name: assets
  mountPath: /opt/mastodon/public/assets
- name: system
  mountPath: /opt/mastodon/public/system
{{- end }}

{{/* The library defines this too; ours wins because the parent parses last. */}}
{{- define "common.greeting" -}}
from-parent
{{- end }}
