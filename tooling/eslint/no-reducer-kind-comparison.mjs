// ESLint rule: apps decide by a reducer's capabilities, never by its kind. Flags comparing something named
// like a reducer kind (`kind`, `reducer`, `reducerKind`, or those properties) to a string literal:
// `x.kind === 'pca'`, `kind !== "conv-ae"`, `r.reducer === 'pca'`, `switch (kind) { case 'pca': … }` and
// `['pca', 'umap'].includes(kind)`. A reducer's own package may compare its own kind; apps may not.
const KIND_NAMES = new Set(['kind', 'reducer', 'reducerKind']);
const EQUALITY = new Set(['===', '!==', '==', '!=']);

/** Strips wrappers that do not change the value: `x!`, `x as T`, `x?.kind` chains, `(x)`. */
function unwrap(node) {
  let n = node;
  while (n && ['TSNonNullExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'ChainExpression', 'TSTypeAssertion'].includes(n.type)) n = n.expression;
  return n;
}

function isKindExpression(node) {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'Identifier') return KIND_NAMES.has(n.name);
  if (n.type === 'MemberExpression') {
    if (!n.computed && n.property.type === 'Identifier') return KIND_NAMES.has(n.property.name);
    return n.computed && n.property.type === 'Literal' && KIND_NAMES.has(n.property.value);
  }
  return false;
}

function stringOf(node) {
  const n = unwrap(node);
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked;
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noReducerKindComparison = {
  meta: {
    type: 'problem',
    docs: { description: 'disallow comparing a reducer kind to a string literal in apps: decide by capabilities' },
    schema: [],
    messages: {
      compare: 'Do not compare a reducer kind to "{{literal}}": decide by capabilities (hasCapability, requireCapability) or by declared order, never by kind.',
    },
  },
  create(context) {
    const report = (node, literal) => context.report({ node, messageId: 'compare', data: { literal } });
    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator)) return;
        const literal = isKindExpression(node.left) ? stringOf(node.right) : isKindExpression(node.right) ? stringOf(node.left) : undefined;
        if (literal !== undefined) report(node, literal);
      },
      SwitchStatement(node) {
        if (!isKindExpression(node.discriminant)) return;
        for (const c of node.cases) {
          const literal = c.test ? stringOf(c.test) : undefined;
          if (literal !== undefined) report(c, literal);
        }
      },
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee?.type !== 'MemberExpression' || callee.computed || callee.property.name !== 'includes') return;
        const list = unwrap(callee.object);
        if (list?.type !== 'ArrayExpression' || !isKindExpression(node.arguments[0])) return;
        const literals = list.elements.map((e) => (e ? stringOf(e) : undefined)).filter((s) => s !== undefined);
        if (literals.length > 0) report(node, literals.join('", "'));
      },
    };
  },
};

export const latentkitPlugin = { meta: { name: 'latentkit' }, rules: { 'no-reducer-kind-comparison': noReducerKindComparison } };
