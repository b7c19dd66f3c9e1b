import { type Static, Type } from 'typebox';

/** Logins, sessions and the station's accounts. */

export const ROLES = ['collector', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = Type.Enum(ROLES);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    terminalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const SessionAccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
});
export type SessionAccount = Static<typeof SessionAccountSchema>;

export const LoginResultSchema = Type.Object({
  /** Absent when the session went into the HttpOnly cookie: no script gets to see it. */
  token: Type.Optional(Type.String()),
  expiresAt: Type.String(),
  account: SessionAccountSchema,
});
export type LoginResult = Static<typeof LoginResultSchema>;

export const MeSchema = Type.Object({
  ...SessionAccountSchema.properties,
  terminalId: Type.Union([Type.String(), Type.Null()]),
});
export type Me = Static<typeof MeSchema>;

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  demo: Type.Boolean(),
  /** The latest login back-off still running on the account (some source must wait until then). */
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
});
export type Account = Static<typeof AccountSchema>;

/** The password policy (length, classes, not the username, not common) is the station's: its refusal has a code. */
const Password = Type.String({ minLength: 1, maxLength: 256 });

export const NewAccountBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    role: RoleSchema,
    password: Password,
  },
  { additionalProperties: false },
);
export type NewAccountRequest = Static<typeof NewAccountBody>;

export const AccountDisabledBody = Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false });
export const AccountRoleBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });
export const AccountPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });
