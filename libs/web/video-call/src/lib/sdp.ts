/** The few facts the P2P call reads from session descriptions and candidates. Not exported from the lib. */

/** `<session id>.<version>` from the `o=` line: the same for a re-sent offer, new for every new offer. */
export function offerIdOf(sdp: string | undefined): string | undefined {
  const match = /^o=\S+ (\d+) (\d+)/m.exec(sdp ?? '');
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** The session id of the `o=` line: one per peer connection, so a new one means the other side started over. */
export function sessionOf(sdp: string | undefined): string | undefined {
  return /^o=\S+ (\d+)/m.exec(sdp ?? '')?.[1];
}

/** The ICE username fragment of a description (its first media section's, as with BUNDLE). */
export function ufragOfDescription(sdp: string | undefined): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1];
}

/** The username fragment a candidate belongs to, when the browser wrote it into the candidate line. */
export function ufragOfCandidate(candidate: RTCIceCandidateInit): string | undefined {
  return candidate.usernameFragment ?? / ufrag (\S+)/.exec(candidate.candidate ?? '')?.[1] ?? undefined;
}
