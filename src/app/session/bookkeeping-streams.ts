/**
 * The streams a home keeps for itself beside its profiles: `gc` (what each
 * collection deleted), `roots` (registered GC roots) and `nix:profile-switches`
 * (where `switch-profile` pointed `~/.nix-profile`). They record facts
 * of this home only, so no import may write them.
 */
export const gcStream = 'gc';
export const rootsStream = 'roots';
/** `switch-profile`: where `~/.nix-profile` was pointed (ProfileSwitched); the colon keeps it apart from every profile name. */
export const profileSwitchStream = 'nix:profile-switches';
