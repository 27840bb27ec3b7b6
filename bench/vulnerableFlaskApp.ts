import { labelledAppWriter, type LabelledApp } from './labelledAppWriter.js';
import { seededRandom } from './seededRandom.js';

export type { LabelledApp } from './labelledAppWriter.js';

/** Ends a template line that is vulnerable; removed from the written file, its line number is labelled. */
const VULN = ' #!VULN';

/**
 * Writes a Python (Flask) shop of about 600 KB that nobody tuned the ranking
 * on: vulnerable handlers, models and helpers (SQL injection, command
 * injection, deserialisation, path traversal, SSRF, open redirect, SSTI, XSS,
 * XXE, weak hashing and randomness, hard-coded secrets, missing access
 * checks), among many benign service modules that use the same APIs safely,
 * tests, docs, translations and front-end scripts, as a real repository has.
 * Labels are the vulnerable lines as written; no marker is left in the files.
 *
 * @example const app = writeVulnerableFlaskApp('/tmp/shop'); app.labels.length // 40
 */
export function writeVulnerableFlaskApp(dir: string): LabelledApp {
  const { write, finish } = labelledAppWriter(dir, VULN);
  const random = seededRandom(20261205);

  for (const [file, text] of Object.entries(VULNERABLE_FILES)) write(file, file.startsWith('shop/routes/') ? amongBenignRoutes(text, random) : text);
  write('shop/routes/catalog.py', catalogRoutes(random));
  write('shop/models.py', models(random));
  for (let i = 0; i < SERVICES.length; i++) write(`shop/services/${SERVICES[i]}.py`, serviceModule(SERVICES[i]!, random));
  for (let i = 0; i < SERVICES.length; i++) write(`tests/test_${SERVICES[i]}.py`, testModule(SERVICES[i]!, random));
  for (const area of HANDLER_AREAS) write(`shop/api_v2/${area}.py`, handlerModule(area, random));
  for (const language of LANGUAGES) write(`shop/translations/${language}/messages.json`, translations(language, random));
  for (const page of ['basket', 'checkout', 'profile', 'search', 'wishlist', 'reviews']) write(`shop/static/js/${page}.js`, frontendScript(page, random));
  for (const topic of ['install', 'deploy', 'api', 'architecture', 'security', 'contributing']) write(`docs/${topic}.md`, doc(topic, random));
  for (const page of ['base', 'product', 'basket', 'login', 'orders', 'admin']) write(`shop/templates/${page}.html`, template(page));
  return finish('generated Flask shop (Python)');
}


const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const SERVICES = [
  'inventory', 'pricing', 'shipping', 'invoices', 'loyalty', 'coupons', 'reviews', 'wishlist', 'newsletter', 'reports',
  'warehouse', 'suppliers', 'returns', 'tax', 'currency', 'search_index', 'recommendations', 'analytics', 'notifications', 'audit_log',
  'gift_cards', 'subscriptions', 'bundles', 'stock_alerts', 'categories', 'banners', 'feeds', 'sitemap', 'exports', 'imports',
];
const HANDLER_AREAS = ['addresses', 'banners', 'carts', 'deliveries', 'faq', 'gifts', 'invoices', 'ledger', 'media', 'offers', 'pages', 'payments', 'profiles', 'ratings', 'stores', 'tickets', 'vouchers', 'zones'];
const LANGUAGES = ['de', 'fr', 'es', 'it', 'ja', 'pt', 'ru', 'zh', 'nl', 'pl', 'tr', 'sv'];
const NOUNS = ['item', 'order', 'entry', 'record', 'batch', 'line', 'slot', 'unit', 'bucket', 'row'];
const VERBS = ['load', 'compute', 'format', 'merge', 'split', 'validate', 'summarise', 'normalise', 'group', 'collect'];

/** A benign service: parameterised queries, logging, session reads, dataclasses; the same APIs as the vulnerable code, used safely. */
function serviceModule(name: string, random: () => number): string {
  const out = [
    `"""${name.replace(/_/g, ' ')}: business rules of the shop's ${name.replace(/_/g, ' ')}."""`,
    'from __future__ import annotations',
    '',
    'import logging',
    'from dataclasses import dataclass, field',
    'from decimal import Decimal',
    '',
    'from shop.db import get_db',
    '',
    'log = logging.getLogger(__name__)',
    '',
    '',
    '@dataclass',
    `class ${camel(name)}Entry:`,
    '    id: int',
    '    name: str',
    '    amount: Decimal = Decimal("0")',
    '    tags: list[str] = field(default_factory=list)',
    '',
  ];
  const functions = 14 + Math.floor(random() * 10);
  for (let f = 0; f < functions; f++) {
    const noun = pick(random, NOUNS);
    const verb = pick(random, VERBS);
    const fn = `${verb}_${noun}_${f}`;
    out.push('', `def ${fn}(${noun}_id: int, limit: int = 50) -> list[${camel(name)}Entry]:`, `    """${capital(verb)} the ${noun}s of a ${name.replace(/_/g, ' ')} ${noun}, at most \`limit\`."""`);
    const shape = Math.floor(random() * 4);
    if (shape === 0) {
      out.push(
        '    db = get_db()',
        `    rows = db.execute("SELECT id, name, amount FROM ${name} WHERE ${noun}_id = ? LIMIT ?", (${noun}_id, limit)).fetchall()`,
        `    return [${camel(name)}Entry(row["id"], row["name"], Decimal(row["amount"])) for row in rows]`,
      );
    } else if (shape === 1) {
      out.push(
        `    entries = [${camel(name)}Entry(i, f"${noun}-{i}") for i in range(${noun}_id, ${noun}_id + limit)]`,
        '    total = sum((entry.amount for entry in entries), Decimal("0"))',
        `    log.debug("${verb} %s ${noun}s, total %s", len(entries), total)`,
        '    return entries',
      );
    } else if (shape === 2) {
      out.push(
        '    result = []',
        `    for index in range(min(limit, ${2 + Math.floor(random() * 20)})):`,
        `        entry = ${camel(name)}Entry(index, "${noun}")`,
        '        if index % 2:',
        `            entry.tags.append("${verb}")`,
        '        result.append(entry)',
        '    return result',
      );
    } else {
      out.push(
        '    db = get_db()',
        `    db.execute("UPDATE ${name} SET touched = 1 WHERE id = ?", (${noun}_id,))`,
        '    db.commit()',
        '    return []',
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** A route module's vulnerable handlers between benign ones, as a real module holds a few bad handlers among many. */
function amongBenignRoutes(text: string, random: () => number): string {
  const firstRoute = text.indexOf('@bp.route');
  const benign = (count: number): string => `${benignRoutes('legacy', random, count).join('\n')}\n\n`;
  return `${text.slice(0, firstRoute)}${benign(6)}${text.slice(firstRoute)}\n${benign(8)}`;
}

/** Benign request handlers: request input, parameterised queries, owner checks, safe redirects and templates. */
function handlerModule(area: string, random: () => number): string {
  const out = [
    'from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for',
    '',
    'from shop.auth import login_required',
    'from shop.db import get_db',
    '',
    `bp = Blueprint('${area}', __name__, url_prefix='/api/v2/${area}')`,
    '',
  ];
  out.push(...benignRoutes(area, random, 10 + Math.floor(random() * 8)));
  return `${out.join('\n')}\n`;
}

function benignRoutes(area: string, random: () => number, routes: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < routes; i++) {
    const noun = pick(random, NOUNS);
    const shape = Math.floor(random() * 3);
    out.push('', `@bp.route('/${noun}s/<int:${noun}_id>', methods=['${shape === 1 ? 'POST' : 'GET'}'])`, '@login_required', `def ${noun}_${area}_${i}(${noun}_id):`, '    db = get_db()');
    if (shape === 0) {
      out.push(
        `    row = db.execute("SELECT * FROM ${area} WHERE id = ? AND owner_id = ?", (${noun}_id, session['user_id'])).fetchone()`,
        '    if row is None:',
        '        abort(404)',
        `    return render_template('${area}.html', ${noun}=row, page=request.args.get('page', 1, type=int))`,
      );
    } else if (shape === 1) {
      out.push(
        `    name = request.form.get('name', '')[:${40 + Math.floor(random() * 80)}]`,
        `    db.execute("UPDATE ${area} SET name = ? WHERE id = ? AND owner_id = ?", (name, ${noun}_id, session['user_id']))`,
        '    db.commit()',
        `    return redirect(url_for('${area}.${noun}_${area}_${i}', ${noun}_id=${noun}_id))`,
      );
    } else {
      out.push(
        `    rows = db.execute("SELECT id, name FROM ${area} WHERE parent_id = ? LIMIT ?", (${noun}_id, request.args.get('limit', 20, type=int))).fetchall()`,
        "    return jsonify([dict(row) for row in rows])",
      );
    }
  }
  return out;
}

function testModule(name: string, random: () => number): string {
  const out = ['import pytest', '', `from shop.services import ${name}`, ''];
  const count = 8 + Math.floor(random() * 8);
  for (let t = 0; t < count; t++) {
    out.push(
      '',
      `def test_${name}_${t}(client, db):`,
      `    response = client.post("/login", data={"username": "admin", "password": "admin${t}"})`,
      '    assert response.status_code == 302',
      `    rows = db.execute("SELECT * FROM ${name} WHERE id = " + str(${t})).fetchall()`,
      '    assert len(rows) >= 0',
      `    assert ${name}.__name__.endswith("${name}")`,
    );
  }
  return `${out.join('\n')}\n`;
}

function translations(language: string, random: () => number): string {
  const entries: Record<string, string> = {};
  for (const key of ['login', 'logout', 'password', 'password_repeat', 'token_expired', 'session_timeout', 'search', 'basket', 'checkout', 'redirecting']) {
    entries[key] = `${language}:${key}:${Math.floor(random() * 1e6).toString(36)}`;
  }
  for (let i = 0; i < 120; i++) entries[`label_${i}`] = `${language} text ${i} ${Math.floor(random() * 1e9).toString(36)}`;
  return `${JSON.stringify(entries, null, 2)}\n`;
}

function frontendScript(page: string, random: () => number): string {
  const out = [`// ${page} page behaviour`, "import { api } from './api.js';", ''];
  for (let i = 0; i < 40; i++) {
    const id = `${page}-${i}`;
    out.push(
      `export async function render${camel(page)}Part${i}(container) {`,
      `  const data = await api.get('/api/${page}/${i}');`,
      `  const node = document.createElement('div');`,
      `  node.className = '${id}';`,
      `  node.textContent = data.title ?? '${Math.floor(random() * 1e6)}';`,
      '  container.appendChild(node);',
      '}',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

function doc(topic: string, random: () => number): string {
  const out = [`# ${capital(topic)}`, ''];
  for (let i = 0; i < 30; i++) {
    out.push(
      `## ${capital(topic)} step ${i}`,
      '',
      `Run \`flask --app shop ${topic}-${i}\` and check the session cookie and the password policy (${Math.floor(random() * 1e6)}).`,
      '```python',
      `cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)  # what not to do`,
      '```',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

function template(page: string): string {
  const lines = ['{% extends "base.html" %}', '{% block content %}', `<h1>{{ _("${page}") }}</h1>`];
  if (page === 'product') lines.push('<div class="description">{{ product.description | safe }}</div>' + VULN);
  for (let i = 0; i < 20; i++) lines.push(`<p class="${page}-${i}">{{ ${page}.field_${i} }}</p>`);
  lines.push('{% endblock %}');
  return `${lines.join('\n')}\n`;
}

/** A big handler module: many routes, three vulnerable ones deep inside. */
function catalogRoutes(random: () => number): string {
  const out = [
    'from flask import Blueprint, abort, jsonify, request, session',
    '',
    'from shop.auth import login_required',
    'from shop.db import get_db',
    '',
    "bp = Blueprint('catalog', __name__, url_prefix='/catalog')",
    '',
  ];
  const vulnerableAt = new Map<number, string[]>([
    [
      9,
      [
        "@bp.route('/products')",
        'def list_products():',
        "    sort = request.args.get('sort', 'name')",
        '    db = get_db()',
        '    rows = db.execute("SELECT id, name, price FROM products ORDER BY " + sort).fetchall()' + VULN,
        '    return jsonify([dict(row) for row in rows])',
      ],
    ],
    [
      21,
      [
        "@bp.route('/products/<int:product_id>', methods=['PUT'])",
        '@login_required',
        'def update_product(product_id):',
        '    db = get_db()',
        '    product = db.execute("SELECT * FROM products WHERE id = ?", (product_id,)).fetchone()',
        '    fields = request.get_json()',
        '    for key, value in fields.items():' + VULN,
        '        db.execute(f"UPDATE products SET {key} = ? WHERE id = ?", (value, product_id))' + VULN,
        '    db.commit()',
        '    return jsonify(dict(product))',
      ],
    ],
    [
      33,
      [
        "@bp.route('/discount', methods=['POST'])",
        'def discount_preview():',
        "    formula = request.form.get('formula', 'price * 0.9')",
        "    price = float(request.form.get('price', '0'))",
        "    return jsonify({'price': eval(formula, {'price': price})})" + VULN,
      ],
    ],
  ]);
  for (let i = 0; i < 40; i++) {
    const vulnerable = vulnerableAt.get(i);
    if (vulnerable) {
      out.push(...vulnerable, '', '');
      continue;
    }
    const noun = pick(random, NOUNS);
    out.push(
      `@bp.route('/${noun}s/${i}/<int:${noun}_id>')`,
      '@login_required',
      `def get_${noun}_${i}(${noun}_id):`,
      '    db = get_db()',
      `    row = db.execute("SELECT * FROM ${noun}s WHERE id = ? AND owner_id = ?", (${noun}_id, session['user_id'])).fetchone()`,
      '    if row is None:',
      '        abort(404)',
      `    payload = {'id': row['id'], 'name': row['name'], 'page': request.args.get('page', 1, type=int)}`,
      `    payload['summary'] = ', '.join(str(value) for value in row)[:${100 + Math.floor(random() * 200)}]`,
      '    return jsonify(payload)',
      '',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

/** A long models module: mostly plain accessors, one raw query and one weak hash in the middle. */
function models(random: () => number): string {
  const out = ['import hashlib', '', 'from shop.db import get_db', ''];
  for (let i = 0; i < 60; i++) {
    const noun = pick(random, NOUNS);
    out.push('', `class ${camel(noun)}${i}:`, `    """A ${noun} as stored in table ${noun}s_${i}."""`, '', '    def __init__(self, row):', "        self.id = row['id']", "        self.name = row['name']", '', '    def label(self):', `        return f"{self.name} (${noun} {self.id})"`);
    if (i === 31) {
      out.push(
        '',
        '    @staticmethod',
        '    def search(term):',
        '        db = get_db()',
        `        return db.execute("SELECT * FROM ${noun}s_${i} WHERE name LIKE '%" + term + "%'").fetchall()` + VULN,
      );
    }
    if (i === 44) {
      out.push('', '    def set_password(self, password):', '        self.password_hash = hashlib.md5(password.encode()).hexdigest()' + VULN);
    }
  }
  return `${out.join('\n')}\n`;
}

const VULNERABLE_FILES: Record<string, string> = {
  'shop/__init__.py': [
    'from flask import Flask',
    '',
    'from shop import db',
    'from shop.routes import account, admin, api, catalog, files',
    '',
    '',
    'def create_app():',
    '    app = Flask(__name__)',
    "    app.config['SECRET_KEY'] = 'shop-dev-key-change-me'" + VULN,
    "    app.config['WTF_CSRF_ENABLED'] = False" + VULN,
    "    app.config['SESSION_COOKIE_HTTPONLY'] = False" + VULN,
    '    db.init_app(app)',
    '    for module in (account, admin, api, catalog, files):',
    '        app.register_blueprint(module.bp)',
    '    return app',
    '',
  ].join('\n'),
  'run.py': ['from shop import create_app', '', 'app = create_app()', '', "if __name__ == '__main__':", "    app.run(host='0.0.0.0', debug=True)" + VULN, ''].join('\n'),
  'shop/db.py': [
    'import sqlite3',
    '',
    'from flask import current_app, g',
    '',
    '',
    'def get_db():',
    "    if 'db' not in g:",
    "        g.db = sqlite3.connect(current_app.config.get('DATABASE', 'shop.sqlite'))",
    '        g.db.row_factory = sqlite3.Row',
    '    return g.db',
    '',
    '',
    'def init_app(app):',
    "    app.teardown_appcontext(lambda error: g.pop('db', None) and None)",
    '',
  ].join('\n'),
  'shop/auth.py': [
    'import functools',
    'import random',
    '',
    'import jwt',
    'from flask import abort, redirect, request, session',
    '',
    "JWT_SECRET = 'secret'" + VULN,
    '',
    '',
    'def login_required(view):',
    '    @functools.wraps(view)',
    '    def wrapped(*args, **kwargs):',
    "        if 'user_id' not in session:",
    "            return redirect('/account/login')",
    '        return view(*args, **kwargs)',
    '    return wrapped',
    '',
    '',
    'def current_api_user():',
    "    token = request.headers.get('Authorization', '').removeprefix('Bearer ')",
    "    claims = jwt.decode(token, options={'verify_signature': False})" + VULN,
    "    return claims.get('sub')",
    '',
    '',
    'def reset_code():',
    "    return ''.join(str(random.randint(0, 9)) for _ in range(6))" + VULN,
    '',
  ].join('\n'),
  'shop/routes/account.py': [
    'import hashlib',
    '',
    'from flask import Blueprint, redirect, render_template, render_template_string, request, session',
    '',
    'from shop.auth import reset_code',
    'from shop.db import get_db',
    '',
    "bp = Blueprint('account', __name__, url_prefix='/account')",
    '',
    '',
    "@bp.route('/login', methods=['GET', 'POST'])",
    'def login():',
    "    if request.method == 'GET':",
    "        return render_template('login.html')",
    "    username = request.form['username']",
    "    digest = hashlib.md5(request.form['password'].encode()).hexdigest()" + VULN,
    '    db = get_db()',
    `    user = db.execute(f"SELECT * FROM users WHERE username = '{username}' AND password = '{digest}'").fetchone()` + VULN,
    '    if user is None:',
    "        return render_template('login.html', error='bad credentials'), 401",
    "    session['user_id'] = user['id']",
    "    return redirect(request.args.get('next', '/'))" + VULN,
    '',
    '',
    "@bp.route('/hello')",
    'def hello():',
    "    name = request.args.get('name', 'guest')",
    "    return render_template_string('<h1>Hello ' + name + '</h1>')" + VULN,
    '',
    '',
    "@bp.route('/reset', methods=['POST'])",
    'def reset():',
    '    code = reset_code()',
    '    db = get_db()',
    `    db.execute("UPDATE users SET reset_code = ? WHERE email = ?", (code, request.form['email']))`,
    '    db.commit()',
    "    return {'sent': True, 'code': code}" + VULN,
    '',
  ].join('\n'),
  'shop/routes/admin.py': [
    'import subprocess',
    '',
    'from flask import Blueprint, jsonify, request',
    '',
    'from shop.db import get_db',
    '',
    "bp = Blueprint('admin', __name__, url_prefix='/admin')",
    '',
    '',
    "@bp.route('/users/<int:user_id>', methods=['DELETE'])",
    'def delete_user(user_id):' + VULN,
    '    db = get_db()',
    '    db.execute("DELETE FROM users WHERE id = ?", (user_id,))',
    '    db.commit()',
    "    return jsonify({'deleted': user_id})",
    '',
    '',
    "@bp.route('/ping')",
    'def ping():',
    "    host = request.args.get('host', 'localhost')",
    "    output = subprocess.check_output(f'ping -c 1 {host}', shell=True)" + VULN,
    "    return jsonify({'output': output.decode()})",
    '',
  ].join('\n'),
  'shop/routes/files.py': [
    'import os',
    '',
    'from flask import Blueprint, request, send_file',
    '',
    'from shop.auth import login_required',
    '',
    "bp = Blueprint('files', __name__, url_prefix='/files')",
    "UPLOAD_DIR = os.path.join(os.path.dirname(__file__), '..', 'uploads')",
    '',
    '',
    "@bp.route('/download')",
    'def download():',
    "    return send_file(os.path.join(UPLOAD_DIR, request.args['name']))" + VULN,
    '',
    '',
    "@bp.route('/upload', methods=['POST'])",
    '@login_required',
    'def upload():',
    "    upload = request.files['file']",
    '    upload.save(os.path.join(UPLOAD_DIR, upload.filename))' + VULN,
    "    return {'saved': upload.filename}",
    '',
  ].join('\n'),
  'shop/routes/api.py': [
    'import base64',
    'import pickle',
    '',
    'import requests',
    'import yaml',
    'from flask import Blueprint, jsonify, request',
    'from lxml import etree',
    '',
    'from shop.auth import current_api_user',
    'from shop.db import get_db',
    '',
    "bp = Blueprint('api', __name__, url_prefix='/api')",
    '',
    '',
    "@bp.route('/preferences')",
    'def preferences():',
    "    raw = request.cookies.get('prefs', '')",
    '    prefs = pickle.loads(base64.b64decode(raw))' + VULN,
    '    return jsonify(prefs)',
    '',
    '',
    "@bp.route('/import', methods=['POST'])",
    'def import_catalog():',
    '    data = yaml.load(request.data, Loader=yaml.Loader)' + VULN,
    "    return jsonify({'items': len(data)})",
    '',
    '',
    "@bp.route('/import-xml', methods=['POST'])",
    'def import_xml():',
    '    parser = etree.XMLParser(resolve_entities=True)' + VULN,
    '    tree = etree.fromstring(request.data, parser)',
    "    return jsonify({'root': tree.tag})",
    '',
    '',
    "@bp.route('/preview')",
    'def preview():',
    "    response = requests.get(request.args['url'], timeout=5)" + VULN,
    "    return jsonify({'status': response.status_code, 'body': response.text[:200]})",
    '',
    '',
    "@bp.route('/orders/<int:order_id>')",
    'def order(order_id):',
    '    current_api_user()',
    '    row = get_db().execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()' + VULN,
    '    return jsonify(dict(row))',
    '',
  ].join('\n'),
  'shop/crypto.py': [
    'from Crypto.Cipher import AES',
    '',
    "KEY = b'0123456789abcdef'" + VULN,
    '',
    '',
    'def encrypt_card(number: str) -> bytes:',
    '    cipher = AES.new(KEY, AES.MODE_ECB)' + VULN,
    "    padded = number.encode().ljust(32, b' ')",
    '    return cipher.encrypt(padded)',
    '',
  ].join('\n'),
  'shop/static/js/search-results.js': [
    '// Shows the search term and the results of the catalog search.',
    "const params = new URLSearchParams(window.location.search);",
    "const term = params.get('q') || '';",
    "document.getElementById('term').innerHTML = 'Results for ' + term;" + VULN,
    '',
  ].join('\n'),
  'config/settings.yml': ['database: shop.sqlite', 'admin:', '  username: admin', '  password: admin123' + VULN, 'cors:', "  origins: '*'" + VULN, ''].join('\n'),
};

function camel(name: string): string {
  return name
    .split(/[_-]/)
    .map((part) => capital(part))
    .join('');
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
