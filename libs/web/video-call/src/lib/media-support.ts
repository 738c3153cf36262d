import { InjectionToken } from '@angular/core';

/** Why a page cannot have camera and microphone at all, before anything is asked. */
export type MediaSupportProblem = 'insecure' | 'in-app' | 'no-media';

export type MediaSupport = { readonly ok: true } | { readonly ok: false; readonly problem: MediaSupportProblem; readonly message: string };

export const MEDIA_SUPPORT_MESSAGES: Readonly<Record<MediaSupportProblem, string>> = {
  insecure: $localize`:@@vc.support.insecure:This page was opened over an insecure connection (http), so your browser does not allow the camera. Open it with an https:// address instead.`,
  'in-app': $localize`:@@vc.support.inApp:The app you opened this page in does not allow the camera. Open the page in your browser (Chrome or Safari), for example with "Open in browser" from the menu.`,
  'no-media': $localize`:@@vc.support.noMedia:This browser cannot make video calls. Open this page in a current version of Chrome, Edge, Firefox or Safari.`,
};

/** Browsers built into apps (social networks, messengers) that block the camera for pages. */
const IN_APP =
  /\b(FBAN|FBAV|FB_IAB|Instagram|Line\/|Twitter|MicroMessenger|Snapchat|LinkedInApp|TikTok|musical_ly|BytedanceWebview|GSA\/)\b/;

export interface MediaEnvironment {
  isSecureContext: boolean;
  userAgent: string;
  hasGetUserMedia: boolean;
  hasPeerConnection: boolean;
}

function currentEnvironment(): MediaEnvironment {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    isSecureContext: typeof window === 'undefined' ? true : window.isSecureContext,
    userAgent: nav?.userAgent ?? '',
    hasGetUserMedia: typeof nav?.mediaDevices?.getUserMedia === 'function',
    hasPeerConnection: typeof RTCPeerConnection === 'function',
  };
}

/** Whether this page can have a camera, a microphone and a peer connection; if not, why, in words. */
export function mediaSupport(environment: MediaEnvironment = currentEnvironment()): MediaSupport {
  const problem: MediaSupportProblem | null = !environment.isSecureContext
    ? 'insecure'
    : IN_APP.test(environment.userAgent)
      ? 'in-app'
      : !environment.hasGetUserMedia || !environment.hasPeerConnection
        ? 'no-media'
        : null;
  return problem ? { ok: false, problem, message: MEDIA_SUPPORT_MESSAGES[problem] } : { ok: true };
}

/** This page's media support, read once; replaced in tests. */
export const MEDIA_SUPPORT = new InjectionToken<MediaSupport>('MEDIA_SUPPORT', { providedIn: 'root', factory: () => mediaSupport() });
