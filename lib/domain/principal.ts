/** Who is calling: the tenant and scopes an API key or an SMTP credential grants. */
import type { ApiKeyScope } from './api-key.ts';

/** Who is calling. */
export interface Principal {
  tenant: string;
  scopes: ApiKeyScope[];
  /** The id of the API key that authenticated the request (see apiKeyId); absent for other credentials. */
  keyId?: string;
}
