const r = await tools.t.echo({a: 1});
return r;