// What app/server.mjs gives every loader and action besides the request: React Router's load
// context, typed here by declaration merging.
import 'react-router';

declare module 'react-router' {
  interface AppLoadContext {
    /**
     * The client's IP address, for the system log and sign-in limits: the connection's peer, or
     * with FORMA_TRUST_PROXY=true what the reverse proxy in front says. Unknown under `react-router dev`.
     */
    clientAddress?: string;
  }
}
