<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <aliases>
    <alias index="0" field="code" name="网格编码 grid code"/>
    <alias index="1" field="comm_code" name="社区代码 community code"/>
    <alias index="2" field="comm_name" name="社区名称 community name"/>
    <alias index="3" field="status" name="调整状态 status (kept, changed, new, retired)"/>
    <alias index="4" field="hh_before" name="调整前户数 households before"/>
    <alias index="5" field="hh_after" name="调整后户数 households after"/>
    <alias index="6" field="bld_before" name="调整前建筑数 buildings before"/>
    <alias index="7" field="bld_after" name="调整后建筑数 buildings after"/>
    <alias index="8" field="moved_in" name="调入建筑数 buildings moved in"/>
    <alias index="9" field="moved_out" name="调出建筑数 buildings moved out"/>
    <alias index="10" field="band_bef" name="调整前户数达标 in band before"/>
    <alias index="11" field="band_aft" name="调整后户数达标 in band after"/>
  </aliases>
</qgis>
