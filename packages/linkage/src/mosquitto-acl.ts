import { grantsOf, type MqttIdentity, usernameOf } from './acl';
import { type LinkageResult, linkFail } from './errors';

/**
 * The Mosquitto `acl_file` for a set of identities, rendered from the same grants the embedded broker
 * checks: `topic write` for a publish grant, `topic read` for a subscribe grant (Mosquitto 2 then allows a
 * subscription no wider than it, and delivers only what it covers). Nothing is granted to anyone else.
 */
export function renderMosquittoAcl(root: string, identities: readonly MqttIdentity[]): LinkageResult<string> {
  // The ACL file is line- and space-separated: such a root could not be written unambiguously.
  if (/\s/.test(root)) return linkFail('CONFIG_INVALID', 'topicRoot', `MQTT主题前缀“${root}”含空白字符`);
  const blocks = identities.map((identity) =>
    [
      `user ${usernameOf(identity)}`,
      ...grantsOf(root, identity).map(
        (g) => `topic ${g.action === 'publish' ? 'write' : 'read'} ${g.filter}`,
      ),
    ].join('\n'),
  );
  return {
    ok: true,
    value: `# Rendered from packages/linkage/src/acl.ts; do not edit by hand.\n\n${blocks.join('\n\n')}\n`,
  };
}
