// Files written by numpy 2.4's np.save (base64), as an independent check on the hand-built fixtures.
function fromBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** np.array([[1.5, -2, 0.1], [0.25, 3, 1e-3]], dtype='<f4') */
export const NUMPY_F4_2X3 = fromBase64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwM3MzD0AAIA+AABAQG8Sgzo=',
);
/** np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 20 */
export const NUMPY_U1_2X2X3 = fromBase64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAFCg8UGR4jKC0yNw=',
);
/** np.array([[np.pi], [-np.e]], dtype='<f8') */
export const NUMPY_F8_2X1 = fromBase64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoYLURU+yEJQGlXFIsKvwXA',
);
/** A Fortran-ordered 2×2 <f4 array */
export const NUMPY_F4_FORTRAN = fromBase64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA',
);
