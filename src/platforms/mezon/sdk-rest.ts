/**
 * The SDK's own REST client, reached at call time. mezon-sdk's `client.channels.fetch` turns every
 * failure (a 404, but also its 7 s timeout, a 500, a refused connection, a 401 after re-login) into one
 * "Can not find channel" message, so a loader that must tell a real absence from a failure calls the
 * same REST method itself and reads the answer's HTTP status. These are protected fields of
 * `MezonClientCore`, read structurally: when they are missing, callers fall back to the public API.
 */
import type { ApiChannelDescription } from 'mezon-sdk';

/** `GET /v2/channeldesc`'s answer (the SDK types it `any`). */
export interface ApiChannelDescList {
  readonly channeldesc?: readonly ApiChannelDescription[];
}

/** The part of the SDK's `MezonApi` botcache calls. */
export interface SdkRestApi {
  listChannelDetail(bearerToken: string, channelId: string): Promise<ApiChannelDescription>;
  listChannelDescs(bearerToken: string, channelType: number, clanId?: string): Promise<ApiChannelDescList>;
}

export interface SdkRest {
  readonly api: SdkRestApi;
  readonly token: string;
}

function isRestApi(value: unknown): value is SdkRestApi {
  const api = value as Partial<SdkRestApi> | undefined;
  return typeof api?.listChannelDetail === 'function' && typeof api.listChannelDescs === 'function';
}

/** The client's current REST client and session token, or undefined before login. */
export function sdkRest(client: object): SdkRest | undefined {
  const internals = client as {
    apiClient?: unknown;
    sessionManager?: { getSession?: () => { token?: unknown } | undefined };
  };
  const token = internals.sessionManager?.getSession?.()?.token;
  if (!isRestApi(internals.apiClient) || typeof token !== 'string' || token.length === 0) return undefined;
  return { api: internals.apiClient, token };
}

/** The HTTP status of an SDK REST failure: `MezonApi.handleResponse` throws the `Response` itself. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/** A REST failure as an Error (the SDK throws a bare Response), naming what was asked. */
export function restError(error: unknown, what: string): Error {
  if (error instanceof Error) return error;
  const status = httpStatusOf(error);
  return new Error(`${what} failed${status === undefined ? '' : ` with HTTP ${status}`}`, { cause: error });
}
