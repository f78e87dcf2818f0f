{{- define "holdfast.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "holdfast.secret" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else -}}{{ include "holdfast.name" . }}-token{{- end -}}
{{- end -}}
