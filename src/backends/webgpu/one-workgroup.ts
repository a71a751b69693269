// One workgroup of a small kernel over one storage buffer, copied to a readback buffer: the
// subgroup probe and the tests' calibration kernels.

/** Submits one workgroup of `code`'s `main` with `buffer` at binding 0, then copies `bytes` of it into `readback`. */
export function dispatchOneWorkgroup(device: GPUDevice, code: string, buffer: GPUBuffer, readback: GPUBuffer, bytes: number): void {
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] }));
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(buffer, 0, readback, 0, bytes);
  device.queue.submit([encoder.finish()]);
}
