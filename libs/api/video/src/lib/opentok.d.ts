// The `opentok` server SDK (2.23) ships no usable types: only what this lib uses, as the SDK behaves.
declare module 'opentok' {
  namespace OpenTok {
    type MediaMode = 'routed' | 'relayed';
    type ArchiveMode = 'manual' | 'always';
    type Role = 'publisher' | 'publisheronly' | 'subscriber' | 'moderator';

    interface ClientOptions {
      /** Base URL of the REST API; `https://api.opentok.com` when not set. */
      apiUrl?: string;
      proxy?: string;
      uaAddendum?: string;
      /** Accepted but never applied to the HTTP request in 2.23. */
      timeout?: number;
    }

    interface SessionOptions {
      /** `relayed` when not set. */
      mediaMode?: MediaMode;
      archiveMode?: ArchiveMode;
      /** An IPv4 address hinting where the media server should be. */
      location?: string;
    }

    interface Session {
      sessionId: string;
    }

    interface TokenOptions {
      /** `publisher` when not set. */
      role?: Role;
      /** Unix seconds; one day from now when not set. */
      expireTime?: number;
      /** Connection data, at most 1000 characters (the SDK itself checks 1024). */
      data?: string;
      initialLayoutClassList?: string[];
    }
  }

  class OpenTok {
    constructor(apiKey: string | number, apiSecret: string, env?: string | OpenTok.ClientOptions);
    readonly apiKey: string;
    readonly apiUrl: string;
    /** Calls back exactly once in practice, but errors thrown by the callback make it call back again. */
    createSession(options: OpenTok.SessionOptions, callback: (error: Error | null, session?: OpenTok.Session) => void): void;
    /** Throws (plain Error) for a session id of another API key, a bad role or an expiry in the past. */
    generateToken(sessionId: string, options?: OpenTok.TokenOptions): string;
  }

  export = OpenTok;
}
