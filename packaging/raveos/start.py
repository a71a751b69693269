# RaveOS starts sero-miner through this: the task's pools with its wallet and worker, the API
# port RaveOS gives (read-only), its log file, then the user's arguments, which win.
import os
import shlex

import ravinos

cfg = ravinos.get_config()
miner_dir = cfg.get('miner_dir') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# an unpacked ZIP may have lost the executable bits
for path in ('sero-miner', os.path.join('runtime', 'node')):
    os.chmod(os.path.join(miner_dir, path), 0o755)

auth = cfg.get('auth_config') or {}
args = [os.path.join(miner_dir, 'sero-miner'), 'mine']
for pool in cfg['coins'][0]['pools']:
    url = pool['url'] if '://' in pool['url'] else 'stratum1+tcp://' + pool['url']
    scheme, rest = url.split('://', 1)
    user = pool.get('user') or '.'.join(p for p in (auth.get('ewal') or auth.get('login'), auth.get('worker')) if p)
    if user:
        password = pool.get('password') or auth.get('pass')
        rest = '%s%s@%s' % (user, ':' + password if password else '', rest.rsplit('@', 1)[-1])
    args += ['-P', '%s://%s' % (scheme, rest)]
args.append('--api-port=-%d' % int(cfg['api_port']))
if cfg.get('log_file'):
    args += ['--log-file', cfg['log_file']]
args += shlex.split(cfg.get('args') or '')

ravinos.run(' '.join(shlex.quote(a) for a in args))
