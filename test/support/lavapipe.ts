// What lavapipe (Mesa's software Vulkan driver) can run at the vector widths the subgroup tests set.

/**
 * lavapipe builds its texel fetches with arrays sized for its widest supported vector
 * (Mesa's LP_MAX_VECTOR_WIDTH, 512 bits). A wider LP_NATIVE_VECTOR_WIDTH overruns them while
 * a shader that reads a texture compiles ("stack smashing detected"), and what that compile
 * leaves in the shader cache can crash later processes: the DAG texture is not tested there.
 */
export const LAVAPIPE_MAX_TEXTURE_VECTOR_BITS = 512;

/** Tests of webgpu-subgroup-widths that read the DAG from a texture (one per kernel variant that can). */
export const TEXTURE_TESTS_PER_WIDTH = 2;
