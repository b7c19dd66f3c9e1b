// Types for runtime-problem.mjs (plain JavaScript so that it runs on any old Node).
export declare const REQUIRED_MAJOR: number;
export declare function pinnedPackageFor(platform: string, arch: string): string | undefined;
export declare function runtimeProblem(args: {
  version: string;
  platform: string;
  arch: string;
  pinned: string | undefined;
  execPath: string;
  installedAt?: string | undefined;
}): string | undefined;
