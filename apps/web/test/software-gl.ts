/**
 * Chromium flags for the browser tests: WebGL (the viewer's scatter) on SwiftShader, the software renderer
 * Chromium ships, so the tests draw the same pixels on machines without a GPU.
 */
export const SOFTWARE_GL_ARGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking'];
