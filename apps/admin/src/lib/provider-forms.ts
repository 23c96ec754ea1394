/**
 * The credential fields of each provider, as docs/providers.md §2 defines them (the API validates
 * them against the same schema and names a bad field in VALIDATION_FAILED). Secret fields are
 * write-only: the console never shows a stored value, only its last 4 characters.
 */
export interface CredentialField {
  name: string;
  label: string;
  type: 'text' | 'secret' | 'number' | 'boolean' | 'select';
  required?: boolean;
  options?: string[];
}

export const PROVIDER_FORMS: Record<string, { channel: 'EMAIL' | 'SMS'; label: string; fields: CredentialField[] }> = {
  resend: {
    channel: 'EMAIL',
    label: 'Resend',
    fields: [
      { name: 'apiKey', label: 'API key', type: 'secret', required: true },
      { name: 'fromAddress', label: 'From address', type: 'text', required: true },
      { name: 'fromName', label: 'From name', type: 'text' },
      { name: 'replyTo', label: 'Reply-to address', type: 'text' },
    ],
  },
  sendgrid: {
    channel: 'EMAIL',
    label: 'SendGrid',
    fields: [
      { name: 'apiKey', label: 'API key', type: 'secret', required: true },
      { name: 'fromAddress', label: 'From address', type: 'text', required: true },
      { name: 'fromName', label: 'From name', type: 'text' },
    ],
  },
  smtp: {
    channel: 'EMAIL',
    label: 'SMTP',
    fields: [
      { name: 'host', label: 'Host', type: 'text', required: true },
      { name: 'port', label: 'Port', type: 'number', required: true },
      { name: 'tls', label: 'TLS', type: 'select', required: true, options: ['starttls', 'tls', 'none'] },
      { name: 'user', label: 'User', type: 'text' },
      { name: 'password', label: 'Password', type: 'secret' },
      { name: 'fromAddress', label: 'From address', type: 'text', required: true },
      { name: 'fromName', label: 'From name', type: 'text' },
    ],
  },
  twilio: {
    channel: 'SMS',
    label: 'Twilio',
    fields: [
      { name: 'accountSid', label: 'Account SID', type: 'text', required: true },
      { name: 'authToken', label: 'Auth token', type: 'secret', required: true },
      { name: 'fromNumber', label: 'From number (E.164) or sender', type: 'text' },
      { name: 'messagingServiceSid', label: 'Messaging service SID', type: 'text' },
    ],
  },
  africastalking: {
    channel: 'SMS',
    label: "Africa's Talking",
    fields: [
      { name: 'username', label: 'Username', type: 'text', required: true },
      { name: 'apiKey', label: 'API key', type: 'secret', required: true },
      { name: 'senderId', label: 'Sender id', type: 'text' },
      { name: 'sandbox', label: 'Use the vendor sandbox', type: 'boolean' },
    ],
  },
};

/** Form strings → the credentials object the API expects (numbers and booleans typed, blanks dropped). */
export function credentialsFrom(provider: string, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PROVIDER_FORMS[provider]?.fields ?? []) {
    const v = values[f.name] ?? '';
    if (f.type === 'boolean') {
      if (v === 'true') out[f.name] = true;
    } else if (v.trim() !== '') out[f.name] = f.type === 'number' ? Number(v) : v.trim();
  }
  return out;
}
