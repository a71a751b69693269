# RaveOS reads sero-miner's stats through this: the miner's /api/status, each device's hashrate
# (H/s), temperature and shares on the MPU at the same PCI address, and the task's share totals.
import json

import ravinos

stats = ravinos.get_stats()
status = json.loads(ravinos.get_http_data('http://127.0.0.1:%d/api/status' % int(stats['api_port'])))
by_pci = {}
for device in status['devices']:
    if device.get('pci'):
        # sysfs' 0000:01:00.0 is RaveOS' 01:00.0
        by_pci[device['pci'].split(':', 1)[1] if device['pci'].count(':') == 2 else device['pci']] = device
for mpu in stats.get('mpu', []):
    device = by_pci.get(mpu.get('pci'))
    if device is None:
        continue
    mpu['hash_rate1'] = device['hashrate']
    temperature = (device.get('sensors') or {}).get('temperature')
    if temperature is not None:
        mpu['temp'] = int(round(temperature))
    mpu['shares'] = {'accepted': device['shares']['accepted'], 'invalid': device['shares']['failed'], 'rejected': device['shares']['rejected']}
stats['shares'] = {'accepted': status['shares']['accepted'], 'invalid': status['shares']['failed'], 'rejected': status['shares']['rejected']}
ravinos.set_stats(stats)
