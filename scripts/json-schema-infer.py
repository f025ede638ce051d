import json,sys
# Infer a JSON Schema (2020-12) from samples. Objects: the keys seen are properties; keys present
# in every sample are required at depth <= 2; unknown keys refused at depth <= 1 (drift is caught
# where it matters, nested shapes stay open). Scalars also admit null (a field a run left empty).
def merge_types(vals):
    ts=set()
    for v in vals:
        if v is None: ts.add('null')
        elif isinstance(v,bool): ts.add('boolean')
        elif isinstance(v,int): ts.add('integer')
        elif isinstance(v,float): ts.add('number')
        elif isinstance(v,str): ts.add('string')
        elif isinstance(v,list): ts.add('array')
        elif isinstance(v,dict): ts.add('object')
    if 'integer' in ts and 'number' in ts: ts.discard('integer')
    return ts
def infer(vals, depth):
    vals=list(vals)
    ts=merge_types(vals)
    nonnull=[v for v in vals if v is not None]
    if ts <= {'null'}:
        return {}
    if ts - {'null'} == {'object'}:
        keys={}
        for v in nonnull:
            for k in v: keys.setdefault(k,[]).append(v[k])
        req=[k for k in keys if all(k in v for v in nonnull)]
        s={'type':'object' if 'null' not in ts else ['object','null'],
           'properties':{k:infer(vs,depth+1) for k,vs in keys.items()}}
        if depth<=2 and req: s['required']=req
        if depth<=1: s['additionalProperties']=False
        return s
    if ts - {'null'} == {'array'}:
        items=[x for v in nonnull for x in v]
        s={'type':'array' if 'null' not in ts else ['array','null']}
        if items: s['items']=infer(items,depth+1)
        return s
    t=sorted(ts|{'null'})
    return {'type': t[0] if len(t)==1 else t}
name,ver,title,desc=sys.argv[1],sys.argv[2],sys.argv[3],sys.argv[4]
samples=[json.load(open(f)) for f in sys.argv[5:]]
s=infer(samples,1) if not isinstance(samples[0],list) else {'type':'array','items':infer([x for v in samples for x in v],1)}
out={'$schema':'https://json-schema.org/draft/2020-12/schema','$id':f'https://kensa.invalid/schemas/{name}/{ver}','title':title,'description':desc,'x-kensa-schema':f'kensa-{name}/{ver}'}
out.update(s)
print(json.dumps(out,indent=2,ensure_ascii=False))
