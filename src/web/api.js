// The service's API as the page uses it: the session's CSRF token on writes, problems as errors.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export class Api {
  constructor() {
    this.csrf = '';
  }

  async call(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      keepalive: method === 'DELETE',
    });
    if (response.status === 204) return null;
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  async me() {
    const me = await this.call('GET', '/api/v1/session');
    this.csrf = me.csrf_token || '';
    return me;
  }

  async logIn(username, password) {
    const me = await this.call('POST', '/api/v1/session', { username, password });
    this.csrf = me.csrf_token || '';
    return me;
  }

  logOut() { return this.call('DELETE', '/api/v1/session'); }

  queue(filters) {
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    return this.call('GET', `/api/v1/review/queue?${q}`);
  }

  lease(id) { return this.call('POST', `/api/v1/review/claims/${id}/lease`); }
  release(id) { return this.call('DELETE', `/api/v1/review/claims/${id}/lease`); }
  check(id, corrections) {
    return this.call('POST', `/api/v1/review/claims/${id}/check`, { corrections });
  }
  approve(id, version, corrections) {
    return this.call('POST', `/api/v1/review/claims/${id}/approve`, { version, corrections });
  }
  reject(id, reason) { return this.call('POST', `/api/v1/claims/${id}/reject`, { reason }); }
  supervisor() { return this.call('GET', '/api/v1/review/supervisor'); }
}
